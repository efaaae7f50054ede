//! Domain types of knooppunt that can only hold valid values.
//!
//! Input becomes one of these types at the edge (`Username::parse`, `CbsCode::parse`); past the
//! edge an invalid value cannot exist. This crate knows nothing about HTTP, SQL or the clock.
//! Every user-facing message is Dutch and lives next to the rule it explains.

pub mod account;
pub mod attachment;
pub mod case;
pub mod error;
pub mod identifiers;
pub mod network;
pub mod policy_signal;
pub mod role;
pub mod text;

pub use account::{DisplayName, EmailAddress, Password, Username};
pub use error::{FieldError, Invalid};
pub use identifiers::{BagId, BagObject, Bsn, HouseNumber, Iban, KvkNumber, LicencePlate, PersonName, Postcode, Rsin};
pub use network::{CbsCode, PartnerType, RegionCode, RegionKind};
pub use role::Role;
