//! Versions rectificatives: each document of a report carries the number
//! and date of the version in which it last changed, recorded in the
//! manifest. A rectified report re-marks only the documents whose content
//! changed, so that the others keep their bytes and are not mailed again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::erreur::{Erreur, Resultat};
use crate::reglages::Date;

/// A document's rectified version: its number (1 for the first) and date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    pub numero: u32,
    #[serde(with = "date_iso")]
    pub date: Date,
}

impl Rectification {
    /// « Version rectificative n° 1 du 3 décembre 2026 ».
    pub fn libelle(&self) -> String {
        format!(
            "Version rectificative n° {} du {}",
            self.numero,
            self.date.en_toutes_lettres()
        )
    }

    /// « version rectificative n° 1 », for a page's footer.
    pub fn court(&self) -> String {
        format!("version rectificative n° {}", self.numero)
    }
}

/// The mark of each document of a report, by its path relative to the
/// report's folder (`communes/92004-antony.pdf`); an original document has
/// none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Versions(BTreeMap<String, Rectification>);

/// What the manifest of a report says of the versions (the rest of it is
/// not read here).
#[derive(Deserialize)]
struct ManifesteLu {
    #[serde(default)]
    sorties: Vec<SortieLue>,
}

#[derive(Deserialize)]
struct SortieLue {
    fichier: String,
    #[serde(default)]
    version_rectificative: Option<Rectification>,
}

/// A path relative to the report's folder as the manifest writes it.
pub fn relatif(chemin: &Path, dossier: &Path) -> String {
    chemin
        .strip_prefix(dossier)
        .unwrap_or(chemin)
        .to_string_lossy()
        .replace('\\', "/")
}

impl Versions {
    /// The marks of the report whose manifest is `manifeste`; none when it
    /// does not exist (nothing published yet).
    pub fn du_manifeste(manifeste: &Path) -> Resultat<Versions> {
        let texte = match std::fs::read_to_string(manifeste) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Versions::default()),
            Err(e) => return Err(Erreur::acces(manifeste, "lecture")(e)),
        };
        let lu: ManifesteLu =
            serde_json::from_str(&texte).map_err(Erreur::json("manifest.json"))?;
        Ok(Versions(
            lu.sorties
                .into_iter()
                .filter_map(|s| s.version_rectificative.map(|v| (s.fichier, v)))
                .collect(),
        ))
    }

    /// The mark of the document at `relatif` (see [`relatif`]).
    pub fn de(&self, relatif: &str) -> Option<Rectification> {
        self.0.get(relatif).copied()
    }

    /// The number the next rectified version takes.
    pub fn suivante(&self) -> u32 {
        self.0.values().map(|v| v.numero).max().unwrap_or(0) + 1
    }

    /// These marks, the documents `changes` (relative paths) marked
    /// `nouvelle`.
    pub fn rectifier(&self, changes: &[PathBuf], nouvelle: Rectification) -> Versions {
        let mut versions = self.clone();
        for c in changes {
            versions
                .0
                .insert(c.to_string_lossy().replace('\\', "/"), nouvelle);
        }
        versions
    }
}

/// Dates written `AAAA-MM-JJ` in the manifest.
mod date_iso {
    use crate::reglages::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&date.iso())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let texte = String::deserialize(d)?;
        Date::lire(&texte)
            .ok_or_else(|| serde::de::Error::custom(format!("date illisible : {texte}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seuls_les_documents_changes_prennent_la_nouvelle_version() {
        let premiere = Rectification {
            numero: 1,
            date: Date::lire("2026-12-03").unwrap(),
        };
        let versions = Versions::default().rectifier(&[PathBuf::from("communes/a.pdf")], premiere);
        assert_eq!(versions.suivante(), 2);
        let seconde = Rectification {
            numero: 2,
            date: Date::lire("2027-01-05").unwrap(),
        };
        let apres = versions.rectifier(&[PathBuf::from("annexe.pdf")], seconde);
        assert_eq!(apres.de("communes/a.pdf"), Some(premiere));
        assert_eq!(apres.de("annexe.pdf"), Some(seconde));
        assert_eq!(apres.de("communes/b.pdf"), None);
        assert_eq!(
            crate::format::espaces_simples(&seconde.libelle()),
            "Version rectificative n° 2 du 5 janvier 2027"
        );
    }
}
