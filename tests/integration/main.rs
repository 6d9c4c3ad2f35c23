//! Integration tests: one binary, split by topic. Each test works in its own
//! temporary folder and runs the real `qpv-annexe` binary.

mod accessibilite;
mod attaquant;
mod audit;
mod clients;
mod commun;
mod communes;
mod envoi;
mod erreurs;
mod exhaustivite;
mod formules;
mod golden;
mod intercommunalites;
mod national;
mod opendata;
mod proprietes;
mod secret;
mod secret_aleatoire;
mod subventions;
mod trimestres;
