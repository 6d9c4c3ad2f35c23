//! The report: where every file goes under `reports/` ([`chemins`]), what it
//! was made from ([`manifeste`]), its publication, whole or not at all
//! ([`publication`]), what it publishes read back ([`publie`]), the
//! attacker's audit of its secrecy ([`audit`]), the versions rectificatives
//! of its documents ([`version`]).

pub mod audit;
pub mod chemins;
pub mod comparaison;
pub mod historique;
pub mod manifeste;
pub mod publication;
pub mod publie;
pub mod verrou;
pub mod version;
