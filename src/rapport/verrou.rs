//! One run at a time on a reports folder: a scheduled run meeting a
//! manual one would otherwise remove each other's staging folders. An
//! advisory lock (`flock`, through the standard library) on
//! `<reports>/.verrou`, held for the whole command; the file says which
//! run holds it. The lock dies with its process (a killed run leaves no
//! lock, only the file's stale words); the file is never removed, so that
//! every run locks the same one.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::erreur::{Erreur, Resultat};

/// The lock of a reports folder, held until dropped.
#[derive(Debug)]
pub struct Verrou {
    _fichier: File,
}

/// The lock file of the reports folder `dossier`.
pub fn chemin(dossier: &Path) -> PathBuf {
    dossier.join(".verrou")
}

impl Verrou {
    /// Takes the lock of the reports folder `dossier`; when another run
    /// holds it, waits for it with `attendre`, else says which run holds
    /// it.
    pub fn prendre(dossier: &Path, attendre: bool) -> Resultat<Verrou> {
        std::fs::create_dir_all(dossier).map_err(Erreur::acces(dossier, "création du dossier"))?;
        let chemin = chemin(dossier);
        let mut fichier = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&chemin)
            .map_err(Erreur::acces(&chemin, "ouverture du verrou"))?;
        match fichier.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) if attendre => fichier
                .lock()
                .map_err(Erreur::acces(&chemin, "attente du verrou"))?,
            Err(TryLockError::WouldBlock) => {
                let mut detenteur = String::new();
                let _ = fichier.read_to_string(&mut detenteur);
                return Err(Erreur::Occupe {
                    dossier: dossier.to_path_buf(),
                    detenteur: detenteur.trim().to_string(),
                });
            }
            Err(TryLockError::Error(e)) => {
                return Err(Erreur::acces(&chemin, "prise du verrou")(e));
            }
        }
        let qui = format!(
            "processus {}, depuis le {}",
            std::process::id(),
            chrono::Local::now().format("%d/%m/%Y à %H:%M:%S")
        );
        fichier
            .set_len(0)
            .and_then(|_| fichier.rewind())
            .and_then(|_| writeln!(fichier, "{qui}"))
            .map_err(Erreur::acces(&chemin, "écriture du verrou"))?;
        Ok(Verrou { _fichier: fichier })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A second holder is refused, naming the first; once the first is
    /// dropped, the lock is free again.
    #[test]
    fn une_seule_execution_a_la_fois() {
        let d = tempfile::tempdir().unwrap();
        let premier = Verrou::prendre(d.path(), false).unwrap();
        match Verrou::prendre(d.path(), false) {
            Err(Erreur::Occupe { detenteur, .. }) => {
                assert!(
                    detenteur.contains(&std::process::id().to_string()),
                    "{detenteur}"
                )
            }
            autre => panic!("{autre:?}"),
        }
        drop(premier);
        assert!(Verrou::prendre(d.path(), false).is_ok());
    }
}
