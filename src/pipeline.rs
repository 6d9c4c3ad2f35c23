//! ingest → model → indicators → render → publish, one step each.

use std::path::PathBuf;

use crate::cli::{Commande, Verbosite};
use crate::error::{Probleme, Resultat};
use crate::indicators::{demandeurs, Indicateurs};
use crate::ingest::{self, TableBrute};
use crate::model::{DemandeursEmploi, Referentiel};
use crate::publish::Publication;
use crate::render;
use crate::settings::Settings;

/// The run's messages on stderr, in French.
pub struct Journal {
    pub verbosite: Verbosite,
}

impl Journal {
    pub fn info(&self, message: impl AsRef<str>) {
        if self.verbosite >= Verbosite::Normal {
            eprintln!("{}", message.as_ref());
        }
    }

    pub fn detail(&self, message: impl AsRef<str>) {
        if self.verbosite >= Verbosite::Detaille {
            eprintln!("  {}", message.as_ref());
        }
    }

    pub fn avertissement(&self, p: &Probleme) {
        if self.verbosite >= Verbosite::Normal {
            eprintln!("avertissement : {p}");
        }
    }
}

/// The inputs, read and checked.
pub struct Entrees {
    pub referentiel: Referentiel,
    pub demandeurs: DemandeursEmploi,
    pub tables: Vec<TableBrute>,
}

pub fn lire(settings: &Settings) -> Resultat<Entrees> {
    let (referentiel, mut tables) = ingest::referentiel::lire(&settings.entrees.referentiel)?;
    let (demandeurs, tables_de) = ingest::demandeurs::lire(&settings.entrees.demandeurs)?;
    tables.extend(tables_de);
    Ok(Entrees {
        referentiel,
        demandeurs,
        tables,
    })
}

pub fn calculer(settings: &Settings, entrees: &Entrees) -> Resultat<Indicateurs> {
    let demande = demandeurs::Demande {
        departement: &settings.conseil.departement,
        nom_departement: &settings.conseil.nom_departement,
        periode: settings.conseil.periode,
    };
    demandeurs::calculer(&entrees.demandeurs, &entrees.referentiel, &demande)
}

/// Every problem of the inputs that does not stop the run.
fn avertissements(entrees: &Entrees, indicateurs: &Indicateurs) -> Vec<Probleme> {
    let mut liste: Vec<Probleme> = entrees
        .tables
        .iter()
        .filter(|t| !t.ignorees.is_empty())
        .map(|t| {
            Probleme::new(
                &t.fichier,
                format!("colonnes ignorées : {}", t.ignorees.join(", ")),
            )
            .ligne(1)
        })
        .collect();
    liste.extend(indicateurs.avertissements.iter().cloned());
    liste
}

fn resumer_entrees(journal: &Journal, entrees: &Entrees) {
    for t in &entrees.tables {
        journal.detail(format!(
            "{} : {} lignes, {}, séparateur « {} »",
            t.fichier.display(),
            t.lignes(),
            t.encodage.libelle(),
            if t.separateur == b'\t' {
                "tabulation".to_string()
            } else {
                (t.separateur as char).to_string()
            }
        ));
    }
}

/// Writes the report of the council's period and publishes it.
pub fn run(settings: &Settings, journal: &Journal) -> Resultat<PathBuf> {
    let nom = settings.conseil.periode.to_string();
    let publication = Publication::ouvrir(&settings.dossier_rapports, &nom, settings.remplacer)?;
    let entrees = lire(settings)?;
    resumer_entrees(journal, &entrees);
    let indicateurs = calculer(settings, &entrees)?;
    for a in avertissements(&entrees, &indicateurs) {
        journal.avertissement(&a);
    }
    let fichiers = render::ecrire(settings, &entrees, &indicateurs, &publication.chantier)?;
    for f in &fichiers {
        journal.detail(format!(
            "écrit : {}",
            f.file_name().unwrap_or_default().to_string_lossy()
        ));
    }
    let dossier = publication.publier()?;
    journal.info(format!(
        "Rapport {} écrit dans {} ({} fichiers, {} indicateurs).",
        nom,
        dossier.display(),
        fichiers.len(),
        indicateurs.table.height()
    ));
    Ok(dossier)
}

/// Checks everything a run would read, writes nothing.
pub fn valider(settings: &Settings, journal: &Journal) -> Resultat<()> {
    let entrees = lire(settings)?;
    resumer_entrees(journal, &entrees);
    let indicateurs = calculer(settings, &entrees)?;
    let avertissements = avertissements(&entrees, &indicateurs);
    for a in &avertissements {
        journal.avertissement(a);
    }
    let lignes: usize = entrees.tables.iter().map(TableBrute::lignes).sum();
    journal.info(format!(
        "Entrées valides : {} fichiers, {} lignes, {} indicateurs calculables pour {}, {} avertissement(s).",
        entrees.tables.len(),
        lignes,
        indicateurs.table.height(),
        settings.conseil.periode,
        avertissements.len()
    ));
    Ok(())
}

pub fn executer(commande: &Commande) -> Resultat<()> {
    let settings = Settings::resoudre(&commande.options())?;
    let journal = Journal {
        verbosite: commande.verbosite(),
    };
    match commande {
        Commande::Run(_) => run(&settings, &journal).map(|_| ()),
        Commande::Validate(_) => valider(&settings, &journal),
    }
}
