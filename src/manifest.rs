//! `manifest.json`: what a report was made from and of, for audit: every
//! input and output with its SHA-256, the program's version and the
//! settings used. No clock time in it: two runs on the same inputs write
//! the same manifest.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::error::{Erreur, Resultat};
use crate::ingest::TableBrute;
use crate::settings::Settings;

fn empreinte(chemin: &Path) -> Resultat<(String, usize)> {
    let octets = std::fs::read(chemin).map_err(Erreur::io(chemin, "lecture"))?;
    let hache = Sha256::digest(&octets);
    Ok((
        hache.iter().map(|o| format!("{o:02x}")).collect(),
        octets.len(),
    ))
}

fn nom(chemin: &Path) -> String {
    chemin
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Writes `manifest.json` into `dossier`, listing `sorties` (files of the
/// same folder) and the inputs read.
pub fn ecrire(
    settings: &Settings,
    tables: &[TableBrute],
    sorties: &[PathBuf],
    dossier: &Path,
) -> Resultat<PathBuf> {
    let (hache_config, _) = empreinte(&settings.fichier_config)?;
    let mut entrees = Vec::new();
    for t in tables {
        let (sha256, octets) = empreinte(&t.fichier)?;
        entrees.push(json!({
            "fichier": nom(&t.fichier),
            "sha256": sha256,
            "octets": octets,
            "lignes_de_donnees": t.lignes(),
            "encodage": t.encodage.libelle(),
            "separateur": (t.separateur as char).to_string(),
            "colonnes_ignorees": t.ignorees,
        }));
    }
    // A national run hashes 1 800 documents, read back from the disk so
    // that the manifest vouches for what is there: on every core.
    let empreintes = crate::parallele::en_parallele(sorties, |s| empreinte(s))?;
    let mut fichiers = Vec::new();
    for (s, empreinte) in sorties.iter().zip(empreintes) {
        let (sha256, octets) = empreinte?;
        // Relative to the report's folder: `communes/92004-….xlsx`.
        let relatif = s
            .strip_prefix(dossier)
            .unwrap_or(s)
            .to_string_lossy()
            .replace('\\', "/");
        fichiers.push(json!({ "fichier": relatif, "sha256": sha256, "octets": octets }));
    }
    let c = &settings.conseil;
    let publies: Vec<Value> = settings
        .publies
        .iter()
        .map(|p| json!({ "source": p.source, "niveau": p.niveau, "code": p.code, "indicateur": p.indicateur, "mesure": p.mesure, "valeur": p.valeur }))
        .collect();
    let manifeste = json!({
        "programme": { "nom": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION") },
        "periode": c.periode.to_string(),
        "departement": c.departement,
        // An internal report carries unmasked figures.
        "usage_interne": settings.interne,
        "reglages": {
            "fichier": nom(&settings.fichier_config),
            "sha256": hache_config,
            "conseil": {
                "titre": c.titre,
                "date": format!("{:04}-{:02}-{:02}", c.date.annee, c.date.mois, c.date.jour),
                "departement": c.departement,
                "nom_departement": c.nom_departement,
                "periode": c.periode.to_string(),
            },
            "documents": {
                "entete": settings.documents.entete,
                "service": settings.documents.service,
                "adjectif": settings.documents.adjectif,
            },
            "secret": { "seuil": settings.seuil_secret },
            "publie": publies,
        },
        "entrees": entrees,
        "sorties": fichiers,
    });
    let chemin = dossier.join(format!("manifest{}.json", settings.suffixe()));
    let mut texte = serde_json::to_string_pretty(&manifeste).map_err(|e| Erreur::Interne {
        contexte: "manifest.json",
        message: e.to_string(),
    })?;
    texte.push('\n');
    std::fs::write(&chemin, texte).map_err(Erreur::io(&chemin, "écriture"))?;
    Ok(chemin)
}
