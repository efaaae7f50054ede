//! The network's figures. This crate holds what every published figure goes through before
//! anyone sees it: disclosure control ([`disclosure`]), and the indicators with their written
//! counting rules ([`indicators`]). Pure: counts in, what may be shown out.

pub mod disclosure;
pub mod indicators;
