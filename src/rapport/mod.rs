//! The report: where every file goes under `reports/` ([`chemins`]), what it
//! was made from ([`manifeste`]), and its publication, whole or not at all
//! ([`publication`]).

pub mod chemins;
pub mod manifeste;
pub mod publication;
