//! qpv-annexe: the quarterly indicator annex on the priority neighbourhoods
//! of the city policy (QPV), from raw exports to the council's documents.
//!
//! The modules follow the data: [`ingest`] reads the exports as they come,
//! [`model`] holds the typed tables, [`indicators`] computes the figures
//! with polars, [`render`] writes the workbook, the PDF and
//! `indicateurs.csv`, [`manifest`] records what a report was made from, [`publish`] makes a run's report appear whole or not
//! at all, [`distribute`] sends each commune its own documents. [`pipeline`] chains them; [`settings`] resolves `conseil.toml`
//! and the command line once.

pub mod cli;
pub mod distribute;
pub mod error;
pub mod indicators;
pub mod ingest;
pub mod manifest;
pub mod model;
pub mod parallele;
pub mod pipeline;
pub mod publish;
pub mod render;
pub mod secrecy;
pub mod settings;

pub use error::{Erreur, Probleme, Resultat};
pub use settings::Settings;
