//! `manifest.json`: what a report was made from and of, for audit: every
//! input and output with its SHA-256, the program's version and the
//! settings used. No clock time in it: two runs on the same inputs write
//! the same manifest.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::chemins::Fichiers;
use super::version::{relatif, Rectification, Versions};
use crate::erreur::{Erreur, Resultat};
use crate::lecture::TableBrute;
use crate::reglages::{ChiffrePublie, Date, Reglages};
use crate::secret::Bilan;

/// The whole manifest. Written with its keys in alphabetical order at every
/// level (through `serde_json::Value`), as every manifest so far.
#[derive(Serialize)]
struct Manifeste<'a> {
    programme: Programme,
    periode: String,
    departement: &'a str,
    /// An internal report carries unmasked figures.
    usage_interne: bool,
    reglages: ReglagesUtilises<'a>,
    /// How much secrecy masked; `null` for an internal report.
    secret: Option<SecretApplique>,
    entrees: Vec<Entree<'a>>,
    sorties: Vec<Sortie>,
}

/// The information loss of the secrecy, in all and per family (the
/// measure `summarize_secret()` of rtauargus gives).
#[derive(Serialize)]
struct SecretApplique {
    seuil: u32,
    #[serde(flatten)]
    ensemble: Masquage,
    familles: BTreeMap<&'static str, Masquage>,
}

/// Counts of people published or masked, masked as primary (1 to
/// threshold − 1) and as complements, and the share masked.
#[derive(Serialize)]
struct Masquage {
    cases: usize,
    primaires: usize,
    complementaires: usize,
    part_masquee: f64,
}

impl From<Bilan> for Masquage {
    fn from(b: Bilan) -> Masquage {
        Masquage {
            cases: b.cases,
            primaires: b.primaires,
            complementaires: b.complementaires,
            part_masquee: b.part_masquee(),
        }
    }
}

fn secret_applique(
    reglages: &Reglages,
    bilans: &BTreeMap<&'static str, Bilan>,
) -> Option<SecretApplique> {
    if reglages.interne {
        return None;
    }
    let mut ensemble = Bilan::default();
    for b in bilans.values() {
        ensemble += *b;
    }
    Some(SecretApplique {
        seuil: reglages.seuil_secret,
        ensemble: ensemble.into(),
        familles: bilans.iter().map(|(f, b)| (*f, (*b).into())).collect(),
    })
}

#[derive(Serialize)]
struct Programme {
    nom: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct ReglagesUtilises<'a> {
    fichier: String,
    sha256: String,
    conseil: ConseilUtilise<'a>,
    documents: DocumentsUtilises<'a>,
    secret: SecretUtilise,
    publie: Vec<Publie<'a>>,
}

#[derive(Serialize)]
struct ConseilUtilise<'a> {
    titre: &'a str,
    /// Absent without a council date.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    departement: &'a str,
    nom_departement: &'a str,
    periode: String,
}

#[derive(Serialize)]
struct DocumentsUtilises<'a> {
    entete: &'a str,
    service: &'a str,
    adjectif: Option<&'a str>,
}

#[derive(Serialize)]
struct SecretUtilise {
    seuil: u32,
}

/// A figure published elsewhere that the report was compared with.
#[derive(Serialize)]
struct Publie<'a> {
    source: &'a str,
    niveau: &'a str,
    code: Option<&'a str>,
    indicateur: &'a str,
    mesure: &'a str,
    valeur: f64,
}

/// One input file.
#[derive(Serialize)]
struct Entree<'a> {
    fichier: String,
    sha256: String,
    octets: usize,
    /// `None` for a detail-level export read in a stream.
    lignes_de_donnees: Option<usize>,
    encodage: &'static str,
    /// A CSV's separator; none for a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    separateur: Option<String>,
    /// The sheet read, for a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    feuille: Option<&'a str>,
    colonnes_ignorees: &'a [String],
}

/// One output file, relative to the report's folder.
#[derive(Serialize)]
struct Sortie {
    fichier: String,
    sha256: String,
    octets: usize,
    /// The version rectificative the document carries; absent for an
    /// original.
    #[serde(skip_serializing_if = "Option::is_none")]
    version_rectificative: Option<Rectification>,
}

/// A file's SHA-256 (hexadecimal) and size.
pub fn empreinte(chemin: &Path) -> Resultat<(String, usize)> {
    let octets = std::fs::read(chemin).map_err(Erreur::acces(chemin, "lecture"))?;
    let hache = Sha256::digest(&octets);
    Ok((
        hache.iter().map(|o| format!("{o:02x}")).collect(),
        octets.len(),
    ))
}

/// A file's name, as the manifest and the send log give it.
pub fn nom(chemin: &Path) -> String {
    chemin
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Each input file's SHA-256 and size, by path.
pub type Empreintes = std::collections::BTreeMap<PathBuf, (String, usize)>;

/// The [`Empreintes`] of the run's inputs, each file hashed once for the
/// manifest and the history (a detail export may weigh gigabytes).
pub fn empreintes_des_entrees(tables: &[TableBrute]) -> Resultat<Empreintes> {
    tables
        .iter()
        .map(|t| Ok((t.fichier.clone(), empreinte(&t.fichier)?)))
        .collect()
}

/// The SHA-256 and size of input `chemin`, from `empreintes` (hashed
/// here if it is not there).
pub fn empreinte_de(empreintes: &Empreintes, chemin: &Path) -> Resultat<(String, usize)> {
    match empreintes.get(chemin) {
        Some(e) => Ok(e.clone()),
        None => empreinte(chemin),
    }
}

/// The inputs read, but the history (`historique`): it changes when a run
/// publishes, and the report must not (its rows name their own sources).
fn entrees<'a>(
    tables: &'a [TableBrute],
    empreintes: &Empreintes,
    historique: &Path,
) -> Resultat<Vec<Entree<'a>>> {
    tables
        .iter()
        .filter(|t| t.fichier != historique)
        .map(|t| {
            let (sha256, octets) = empreinte_de(empreintes, &t.fichier)?;
            Ok(Entree {
                fichier: nom(&t.fichier),
                sha256,
                octets,
                lignes_de_donnees: t.lignes(),
                encodage: t.encodage.libelle(),
                separateur: t
                    .feuille
                    .is_none()
                    .then(|| (t.separateur as char).to_string()),
                feuille: t.feuille.as_deref(),
                colonnes_ignorees: &t.ignorees,
            })
        })
        .collect()
}

/// The outputs, hashed as they are on the disk (so that the manifest
/// vouches for what is there): a national run hashes 1 800 documents, on
/// every core.
fn sorties_hachees(
    sorties: &[PathBuf],
    dossier: &Path,
    versions: &Versions,
) -> Resultat<Vec<Sortie>> {
    let empreintes = crate::parallele::en_parallele(sorties, |s| empreinte(s))?;
    sorties
        .iter()
        .zip(empreintes)
        .map(|(s, empreinte)| {
            let (sha256, octets) = empreinte?;
            // Relative to the report's folder: `communes/92004-….xlsx`.
            let fichier = relatif(s, dossier);
            Ok(Sortie {
                version_rectificative: versions.de(&fichier),
                fichier,
                sha256,
                octets,
            })
        })
        .collect()
}

fn publie(p: &ChiffrePublie) -> Publie<'_> {
    Publie {
        source: &p.source,
        niveau: &p.niveau,
        code: p.code.as_deref(),
        indicateur: &p.indicateur,
        mesure: &p.mesure,
        valeur: p.valeur,
    }
}

fn reglages_utilises(reglages: &Reglages) -> Resultat<ReglagesUtilises<'_>> {
    let (sha256, _) = empreinte(&reglages.fichier_config)?;
    let c = &reglages.conseil;
    Ok(ReglagesUtilises {
        fichier: nom(&reglages.fichier_config),
        sha256,
        conseil: ConseilUtilise {
            titre: &c.titre,
            date: c.date.map(Date::iso),
            departement: &c.departement,
            nom_departement: &c.nom_departement,
            periode: c.periode.to_string(),
        },
        documents: DocumentsUtilises {
            entete: &reglages.documents.entete,
            service: &reglages.documents.service,
            adjectif: reglages.documents.adjectif.as_deref(),
        },
        secret: SecretUtilise {
            seuil: reglages.seuil_secret,
        },
        publie: reglages.publies.iter().map(publie).collect(),
    })
}

/// Writes `manifest.json` into the report of `rapport`, listing `sorties`
/// (files of the same folder, with their `versions`) and the inputs read.
pub fn ecrire(
    reglages: &Reglages,
    (tables, empreintes, bilans): (&[TableBrute], &Empreintes, &BTreeMap<&'static str, Bilan>),
    (sorties, versions): (&[PathBuf], &Versions),
    rapport: &Fichiers,
) -> Resultat<PathBuf> {
    let c = &reglages.conseil;
    let manifeste = Manifeste {
        programme: Programme {
            nom: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        periode: c.periode.to_string(),
        departement: &c.departement,
        usage_interne: reglages.interne,
        reglages: reglages_utilises(reglages)?,
        secret: secret_applique(reglages, bilans),
        entrees: entrees(
            tables,
            empreintes,
            &super::chemins::Chemins::new(reglages).historique(),
        )?,
        sorties: sorties_hachees(sorties, rapport.dossier(), versions)?,
    };
    let valeur = serde_json::to_value(&manifeste).map_err(Erreur::json("manifest.json"))?;
    let mut texte = serde_json::to_string_pretty(&valeur).map_err(Erreur::json("manifest.json"))?;
    texte.push('\n');
    let chemin = rapport.manifeste();
    std::fs::write(&chemin, texte).map_err(Erreur::acces(&chemin, "écriture"))?;
    Ok(chemin)
}
