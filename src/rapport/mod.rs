//! The report: where every file goes under `reports/` ([`chemins`]), what it
//! was made from ([`manifeste`]), its publication, whole or not at all
//! ([`publication`]), and the attacker's audit of its secrecy ([`audit`]).

pub mod audit;
pub mod chemins;
pub mod manifeste;
pub mod publication;
