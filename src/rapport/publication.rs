//! A report appears whole or not at all: everything is written into a
//! staging folder beside `reports/<T>/`, renamed into place at the end. A
//! failure, or a `kill -9`, leaves no `reports/<T>/` and no partial file.

use std::path::PathBuf;

use super::chemins::Chemins;
use crate::erreur::{Erreur, Resultat};

pub struct Publication {
    pub cible: PathBuf,
    pub chantier: PathBuf,
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
        if cible.exists() && !remplacer {
            return Err(Erreur::Usage(format!(
                "le rapport {} existe déjà ; relancez avec --force pour le remplacer",
                cible.display()
            )));
        }
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
            remplacer,
            publie: false,
        })
    }

    /// Moves the staged report into place, replacing the old one as a whole
    /// when allowed.
    pub fn publier(mut self) -> Resultat<PathBuf> {
        if self.cible.exists() {
            if !self.remplacer {
                return Err(Erreur::Usage(format!(
                    "le rapport {} est apparu pendant le calcul",
                    self.cible.display()
                )));
            }
            let ancien = self.chantier.with_extension("ancien");
            std::fs::rename(&self.cible, &ancien)
                .map_err(Erreur::acces(&self.cible, "remplacement"))?;
            std::fs::rename(&self.chantier, &self.cible)
                .map_err(Erreur::acces(&self.cible, "publication"))?;
            std::fs::remove_dir_all(&ancien).map_err(Erreur::acces(&ancien, "suppression"))?;
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
