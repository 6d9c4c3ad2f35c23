//! Reading the exports as they come: encoding, separator, header matching,
//! then one reader per source that turns its raw text table into the typed
//! tables of `model`.

pub mod demandeurs;
pub mod entetes;
pub mod referentiel;
pub mod texte;
pub mod valeurs;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Erreur, Probleme, Resultat};
use crate::model::colonnes::LIGNE;
use entetes::{normaliser, Colonne};
use texte::Encodage;

/// An export read as text, its columns renamed to their canonical names,
/// with the 1-based line number of each row in `ligne`.
#[derive(Debug, Clone)]
pub struct TableBrute {
    pub fichier: PathBuf,
    pub encodage: Encodage,
    pub separateur: u8,
    pub frame: DataFrame,
    /// 1-based position of each canonical column in the file.
    positions: BTreeMap<&'static str, usize>,
    /// Headers that match no known column (ignored, listed in the log).
    pub ignorees: Vec<String>,
}

impl TableBrute {
    pub fn a(&self, colonne: &str) -> bool {
        self.positions.contains_key(colonne)
    }

    pub fn position(&self, colonne: &str) -> usize {
        self.positions.get(colonne).copied().unwrap_or(0)
    }

    pub fn lignes(&self) -> usize {
        self.frame.height()
    }
}

/// Reads one export. Every structural problem of the file (unreadable,
/// empty, missing or duplicated columns) is an error naming the file.
pub fn lire_table(fichier: &Path, colonnes: &[Colonne]) -> Resultat<TableBrute> {
    let octets = std::fs::read(fichier).map_err(Erreur::io(fichier, "lecture"))?;
    let (texte, encodage) = texte::decoder(&octets);
    if texte.trim().is_empty() {
        return Err(Erreur::Donnees(vec![Probleme::new(
            fichier,
            "fichier vide",
        )
        .attendu("une ligne d'en-tête puis des lignes de données")]));
    }
    let separateur = texte::separateur(&texte);
    let frame = CsvReadOptions::default()
        .with_has_header(true)
        // Every cell as text: numbers are parsed by `valeurs`, which knows
        // the French forms and the conventional signs.
        .with_infer_schema_length(Some(0))
        .map_parse_options(|o| o.with_separator(separateur).with_quote_char(Some(b'"')))
        .into_reader_with_file_handle(Cursor::new(texte.into_bytes()))
        .finish()
        .map_err(|e| {
            Erreur::Donnees(vec![Probleme::new(fichier, "fichier CSV illisible")
                .attendu("un fichier CSV séparé par « ; », « , » ou une tabulation")
                .trouve(e.to_string())])
        })?;

    let mut positions = BTreeMap::new();
    let mut renommage: Vec<(String, &'static str)> = Vec::new();
    let mut ignorees = Vec::new();
    let mut problemes = Vec::new();
    for (i, entete) in frame.get_column_names().iter().enumerate() {
        let norme = normaliser(entete);
        if norme.is_empty() {
            continue; // trailing empty columns of spreadsheet exports
        }
        match colonnes.iter().find(|c| c.reconnait(&norme)) {
            Some(c) if positions.contains_key(c.nom) => problemes.push(
                Probleme::new(fichier, format!("colonne {} en double", c.nom))
                    .ligne(1)
                    .colonne(i + 1)
                    .trouve(entete.as_str()),
            ),
            Some(c) => {
                positions.insert(c.nom, i + 1);
                renommage.push((entete.to_string(), c.nom));
            }
            None => ignorees.push(entete.to_string()),
        }
    }
    for c in colonnes
        .iter()
        .filter(|c| c.obligatoire && !positions.contains_key(c.nom))
    {
        let mut attendu = format!("une colonne « {} »", c.nom);
        if !c.alias.is_empty() {
            attendu.push_str(&format!(" (ou {})", c.alias.join(", ")));
        }
        let trouve = frame
            .get_column_names()
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(" ; ");
        problemes.push(
            Probleme::new(fichier, format!("colonne obligatoire {} absente", c.nom))
                .ligne(1)
                .attendu(attendu)
                .trouve(trouve),
        );
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    if frame.height() == 0 {
        return Err(Erreur::Donnees(vec![Probleme::new(
            fichier,
            "aucune ligne de données après l'en-tête",
        )
        .ligne(1)
        .attendu("au moins une ligne de données")]));
    }
    let selection: Vec<Expr> = renommage
        .iter()
        .map(|(source, nom)| col(source.as_str()).alias(*nom))
        .collect();
    // Line 1 is the header: the first data row is line 2.
    let frame = frame
        .lazy()
        .select(selection)
        .with_row_index(LIGNE, Some(2))
        .collect()?;
    Ok(TableBrute {
        fichier: fichier.to_path_buf(),
        encodage,
        separateur,
        frame,
        positions,
        ignorees,
    })
}
