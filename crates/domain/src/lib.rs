//! Domain types of knooppunt that can only hold valid values.
//!
//! Input becomes one of these types at the edge (`Username::parse`, `CbsCode::parse`); past the
//! edge an invalid value cannot exist. This crate knows nothing about HTTP, SQL or the clock.
//! Every user-facing message is Dutch and lives next to the rule it explains.

/// A closed set of codes: the Dutch code the API uses, the label the UI shows, and a parser
/// whose message lists the valid codes.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, String> {
                let raw = raw.trim();
                Self::ALL.iter().copied().find(|v| v.code() == raw).ok_or_else(|| {
                    let codes: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                    if raw.is_empty() {
                        format!("Kies een van: {}.", codes.join(", "))
                    } else {
                        format!("'{raw}' is geen geldige keuze; kies een van: {}.", codes.join(", "))
                    }
                })
            }
        }
    };
}

pub mod account;
pub mod attachment;
pub mod case;
pub mod error;
pub mod events;
pub mod fieldlab;
pub mod identifiers;
pub mod knowledge;
pub mod magazine;
pub mod network;
pub mod policy_signal;
pub mod retention;
pub mod role;
pub mod subject_request;
pub mod support;
pub mod text;

pub use account::{DisplayName, EmailAddress, Password, Username};
pub use error::{FieldError, Invalid};
pub use identifiers::{BagId, BagObject, Bsn, HouseNumber, Iban, KvkNumber, LicencePlate, PersonName, Postcode, Rsin};
pub use network::{CbsCode, PartnerType, RegionCode, RegionKind};
pub use role::Role;
