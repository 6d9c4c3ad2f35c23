//! A report appears whole or not at all: everything is written into a
//! staging folder beside `reports/<T>/`, renamed into place at the end. A
//! failure, or a `kill -9`, leaves no `reports/<T>/` and no partial file.

use std::path::PathBuf;

use super::chemins::Chemins;
use crate::erreur::{Erreur, Resultat};

pub struct Publication {
    pub cible: PathBuf,
    pub chantier: PathBuf,
    /// Where the published report goes when this one replaces it.
    pub archive: PathBuf,
    remplacer: bool,
    publie: bool,
}

impl Publication {
    /// Checks that the report may be written, and opens its staging folder.
    /// Staging folders left behind by killed runs of the same period are
    /// removed first.
    pub fn ouvrir(chemins: &Chemins, remplacer: bool) -> Resultat<Publication> {
        let dossier_rapports = chemins.racine();
        let cible = chemins.rapport();
        std::fs::create_dir_all(dossier_rapports)
            .map_err(Erreur::acces(dossier_rapports, "création du dossier"))?;
        let prefixe = chemins.prefixe_chantier();
        for entree in std::fs::read_dir(dossier_rapports)
            .map_err(Erreur::acces(dossier_rapports, "lecture du dossier"))?
            .flatten()
        {
            if entree.file_name().to_string_lossy().starts_with(&prefixe) {
                let _ = std::fs::remove_dir_all(entree.path());
            }
        }
        let chantier = chemins.chantier();
        std::fs::create_dir_all(&chantier)
            .map_err(Erreur::acces(&chantier, "création du dossier"))?;
        Ok(Publication {
            cible,
            chantier,
            archive: chemins.archive(),
            remplacer,
            publie: false,
        })
    }

    /// Moves the staged report into place, replacing the old one as a whole
    /// when allowed: the old one is archived, never deleted.
    pub fn publier(mut self) -> Resultat<PathBuf> {
        if self.cible.exists() {
            if !self.remplacer {
                return Err(Erreur::Usage(format!(
                    "le rapport {} est apparu pendant le calcul",
                    self.cible.display()
                )));
            }
            if let Some(dossier) = self.archive.parent() {
                std::fs::create_dir_all(dossier)
                    .map_err(Erreur::acces(dossier, "création du dossier"))?;
            }
            std::fs::rename(&self.cible, &self.archive)
                .map_err(Erreur::acces(&self.cible, "archivage"))?;
            std::fs::rename(&self.chantier, &self.cible)
                .map_err(Erreur::acces(&self.cible, "publication"))?;
        } else {
            std::fs::rename(&self.chantier, &self.cible)
                .map_err(Erreur::acces(&self.cible, "publication"))?;
        }
        self.publie = true;
        Ok(self.cible.clone())
    }
}

impl Drop for Publication {
    fn drop(&mut self) {
        if !self.publie {
            let _ = std::fs::remove_dir_all(&self.chantier);
        }
    }
}
