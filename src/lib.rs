//! qpv-annexe: the quarterly indicator annex on the priority neighbourhoods
//! of the city policy (QPV), from raw exports to the council's documents.
//!
//! The modules follow the data, each stage importing only those above it
//! (the stages that tests, examples and the binary do not need are private
//! to the crate):
//!
//! 1. [`lecture`] reads the exports as they come (encodings, separators,
//!    headers, numbers, conventional signs) into
//! 2. [`modele`], the typed tables and vocabulary every stage shares;
//! 3. `decoupage` marks each row of national inputs with its département
//!    and cuts them;
//! 4. `indicateurs` computes every figure with polars, statistical secrecy
//!    applied there (`secret` is the suppression engine);
//! 5. `rendu` draws the workbook, the PDF and `indicateurs.csv` from the
//!    computed, protected figures only;
//! 6. `rapport` names every path under `reports/`, writes the manifest and
//!    publishes a report whole or not at all;
//! 7. [`envoi`] sends each commune its own documents.
//!
//! [`execution`] chains the stages for each command; [`reglages`] holds
//! `conseil.toml` and the command line resolved once. Leaves any stage may
//! use: [`erreur`] (typed errors, exit codes), [`journal`] (messages and
//! progress), [`format`](mod@format) (French number formats), `parallele` (worker
//! threads).

pub(crate) mod decoupage;
pub mod envoi;
pub mod erreur;
pub mod execution;
pub mod feuilles;
pub mod format;
pub(crate) mod indicateurs;
pub mod journal;
pub mod lecture;
pub mod modele;
pub(crate) mod parallele;
pub(crate) mod rapport;
pub mod reglages;
pub(crate) mod rendu;
pub(crate) mod secret;

pub use erreur::{Erreur, Probleme, Resultat};
pub use reglages::Reglages;
