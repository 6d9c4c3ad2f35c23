//! Spreadsheets as the services keep them (`.xlsx`, `.xlsm`, `.xls`,
//! `.ods`), read with calamine into the same records as a CSV export: the
//! sheet named after `#` in the settings (`registre.xlsx#Dossiers`), else
//! the first sheet that has the source's required columns; the header row
//! found below title rows; typed cells written as the CSV reader expects
//! them (a number as a number, a date as `AAAA-MM-JJ`), text cells as
//! they are, so that the same export as CSV or as workbook gives the same
//! tables.

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto, Data, Range, Reader};

use super::entetes::{normaliser, Colonne};
use super::Enregistrement;
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::feuilles::{avec_feuille, separer};

/// How far below the top of a sheet its header row may be (title rows).
const LIGNES_DE_TITRE_MAX: usize = 30;

/// The sheet `feuille` of each workbook of `fichiers` that has one, as
/// paths to read (`EPCI_au_01-01-2024.xlsx#EPCI`).
pub fn feuilles_annexes(fichiers: &[PathBuf], feuille: &str) -> Vec<PathBuf> {
    fichiers
        .iter()
        .filter_map(|f| {
            let (classeur, _) = separer(f)?;
            let noms = open_workbook_auto(&classeur).ok()?.sheet_names();
            noms.iter()
                .any(|n| n == feuille)
                .then(|| avec_feuille(&classeur, feuille))
        })
        .collect()
}

/// A sheet read: its name and its records (1-based row numbers, one field
/// per column from column A), the header row first.
pub(crate) struct Feuille {
    pub nom: String,
    pub enregistrements: Vec<Enregistrement>,
}

/// Reads the sheet of `chemin` ([`separer`]) that holds `colonnes`.
pub(crate) fn lire(chemin: &Path, colonnes: &[Colonne]) -> Resultat<Feuille> {
    let (fichier, nommee) = separer(chemin).unwrap_or((chemin.to_path_buf(), None));
    verifier_le_format(&fichier)?;
    let mut classeur = open_workbook_auto(&fichier).map_err(|e| illisible(&fichier, e))?;
    let noms = classeur.sheet_names();
    if let Some(n) = nommee.as_ref().filter(|n| !noms.contains(n)) {
        return Err(Erreur::Donnees(vec![Probleme::new(
            &fichier,
            format!("feuille « {n} » absente du classeur"),
        )
        .attendu(format!("une des feuilles {}", noms.join(", ")))]));
    }
    let candidates: Vec<String> = match nommee {
        Some(n) => vec![n],
        None => noms,
    };
    let mut premiere = None;
    for nom in candidates {
        let cellules = classeur
            .worksheet_range(&nom)
            .map_err(|e| illisible(&fichier, e))?;
        let enregistrements = enregistrements(&fichier, &nom, &cellules)?;
        let entete = ligne_d_entete(&enregistrements, colonnes);
        let feuille = Feuille {
            enregistrements: enregistrements
                .into_iter()
                .skip(entete.unwrap_or(0))
                .collect(),
            nom: nom.clone(),
        };
        if entete.is_some() {
            formules_sans_valeur(&mut classeur, &fichier, &feuille)?;
            return Ok(feuille);
        }
        premiere.get_or_insert(feuille);
    }
    // No sheet has the required columns: the first is read, and the
    // header's check says what is missing.
    match premiere {
        Some(f) if f.enregistrements.is_empty() => Err(Erreur::Donnees(vec![Probleme::new(
            &avec_feuille(&fichier, &f.nom),
            "feuille vide",
        )
        .attendu("une ligne d'en-tête puis des lignes de données")])),
        Some(f) => Ok(f),
        None => Err(Erreur::Donnees(vec![Probleme::new(
            &fichier,
            "classeur sans feuille",
        )
        .attendu(
            "une feuille avec une ligne d'en-tête puis des lignes de données",
        )])),
    }
}

/// A workbook that is not one: an encrypted (password-protected) `.xlsx`
/// is an OLE container, not a zip.
fn verifier_le_format(fichier: &Path) -> Resultat<()> {
    use std::io::Read;
    let mut debut = [0u8; 8];
    let lus = std::fs::File::open(fichier)
        .and_then(|mut f| f.read(&mut debut))
        .map_err(Erreur::acces(fichier, "lecture"))?;
    let nom = fichier.to_string_lossy().to_lowercase();
    let zip = !(nom.ends_with(".xls"));
    let ole = lus >= 8 && debut == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if zip && ole {
        return Err(Erreur::Donnees(vec![Probleme::new(
            fichier,
            "classeur protégé par un mot de passe (chiffré) : il ne peut pas être lu",
        )
        .attendu("le classeur enregistré sans mot de passe d'ouverture")]));
    }
    Ok(())
}

fn illisible(fichier: &Path, e: impl std::fmt::Display) -> Erreur {
    Erreur::Donnees(vec![Probleme::new(fichier, "classeur illisible")
        .attendu("un classeur .xlsx, .xls ou .ods")
        .trouve(e.to_string())])
}

/// The rows of a sheet as records: fields from column A, each cell as
/// its text ([`texte_de`]); empty rows skipped; a cell in error (`#N/A`)
/// is a located problem.
fn enregistrements(
    fichier: &Path,
    feuille: &str,
    cellules: &Range<Data>,
) -> Resultat<Vec<Enregistrement>> {
    let Some((ligne0, colonne0)) = cellules.start() else {
        return Ok(Vec::new());
    };
    let affiche = avec_feuille(fichier, feuille);
    let mut problemes = Vec::new();
    let mut sortie = Vec::new();
    for (i, rangee) in cellules.rows().enumerate() {
        let ligne = ligne0 as usize + i + 1;
        let mut champs = vec![String::new(); colonne0 as usize];
        for (j, c) in rangee.iter().enumerate() {
            if let Data::Error(e) = c {
                problemes.push(
                    Probleme::new(&affiche, "cellule en erreur")
                        .ligne(ligne)
                        .colonne(colonne0 as usize + j + 1)
                        .attendu("une valeur")
                        .trouve(e.to_string()),
                );
            }
            champs.push(texte_de(c));
        }
        if champs.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        sortie.push(Enregistrement { ligne, champs });
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    Ok(sortie)
}

/// A cell as the CSV reader would read it: a number in full (`2800000`,
/// `0.5`), a date `AAAA-MM-JJ` (with its time when it has one), a text as
/// written.
pub fn texte_de(cellule: &Data) -> String {
    match cellule {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "VRAI" } else { "FAUX" }.to_string(),
        Data::DateTime(d) if d.is_duration() => d.as_f64().to_string(),
        Data::DateTime(d) => {
            let (a, m, j, h, min, s, _) = d.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                format!("{a:04}-{m:02}-{j:02}")
            } else {
                format!("{a:04}-{m:02}-{j:02} {h:02}:{min:02}:{s:02}")
            }
        }
    }
}

/// The index of the header row among the first rows of a sheet: the
/// first where every required column of `colonnes` is found.
fn ligne_d_entete(enregistrements: &[Enregistrement], colonnes: &[Colonne]) -> Option<usize> {
    enregistrements
        .iter()
        .take(LIGNES_DE_TITRE_MAX)
        .position(|e| {
            let normes: Vec<String> = e.champs.iter().map(|c| normaliser(c)).collect();
            colonnes
                .iter()
                .filter(|c| c.obligatoire)
                .all(|c| normes.iter().any(|n| !n.is_empty() && c.reconnait(n)))
        })
}

/// A formula whose value was never computed (a workbook written by a
/// program, never opened in a spreadsheet) reads as an empty cell: an
/// error, not a blank.
fn formules_sans_valeur(
    classeur: &mut calamine::Sheets<std::io::BufReader<std::fs::File>>,
    fichier: &Path,
    feuille: &Feuille,
) -> Resultat<()> {
    let Ok(formules) = classeur.worksheet_formula(&feuille.nom) else {
        return Ok(());
    };
    let Some((l0, c0)) = formules.start() else {
        return Ok(());
    };
    let affiche = avec_feuille(fichier, &feuille.nom);
    let mut problemes = Vec::new();
    for (i, rangee) in formules.rows().enumerate() {
        let ligne = l0 as usize + i + 1;
        let Some(e) = feuille.enregistrements.iter().find(|e| e.ligne == ligne) else {
            continue;
        };
        for (j, f) in rangee.iter().enumerate().filter(|(_, f)| !f.is_empty()) {
            let colonne = c0 as usize + j;
            if e.champs.get(colonne).is_none_or(|v| v.is_empty()) {
                problemes.push(
                    Probleme::new(&affiche, "formule sans valeur calculée")
                        .ligne(ligne)
                        .colonne(colonne + 1)
                        .attendu("le classeur recalculé puis enregistré dans un tableur")
                        .trouve(format!("={f}")),
                );
            }
        }
    }
    if problemes.is_empty() {
        Ok(())
    } else {
        Err(Erreur::Donnees(problemes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cellules_comme_en_csv() {
        assert_eq!(texte_de(&Data::Float(2_800_000.0)), "2800000");
        assert_eq!(texte_de(&Data::Float(0.5)), "0.5");
        assert_eq!(texte_de(&Data::Int(92004)), "92004");
        assert_eq!(
            texte_de(&Data::String("2 800 000,00".into())),
            "2 800 000,00"
        );
        assert_eq!(texte_de(&Data::Empty), "");
    }
}
