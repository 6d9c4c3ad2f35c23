//! Reading the exports as they come: encoding, separator, header matching,
//! then one reader per source that turns its raw text table into the typed
//! tables of `model`.

mod chevauchements;
pub(crate) mod classeur;
pub mod dares;
pub mod demandeurs;
pub mod detail;
pub mod dispositifs;
pub mod echeances;
pub mod entetes;
mod entrees;
pub mod financements;
pub mod missions_locales;
pub mod referentiel;
pub mod structures;
pub mod texte;
pub mod valeurs;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::LIGNE;
use entetes::{normaliser, Colonne};
use texte::Encodage;

pub use entrees::{lire_entrees, Entrees};

/// An export read as text, its columns renamed to their canonical names,
/// with the 1-based line number of each row in `ligne`.
#[derive(Debug, Clone)]
pub struct TableBrute {
    pub fichier: PathBuf,
    /// The sheet read, for a workbook.
    pub feuille: Option<String>,
    pub encodage: Encodage,
    pub separateur: u8,
    pub frame: DataFrame,
    /// 1-based position of each canonical column in the file.
    positions: BTreeMap<&'static str, usize>,
    /// Headers that match no known column (ignored, listed in the log).
    pub ignorees: Vec<String>,
    /// Read in a stream (detail-level export): no rows kept, none counted.
    en_flux: bool,
}

impl TableBrute {
    pub fn a(&self, colonne: &str) -> bool {
        self.positions.contains_key(colonne)
    }

    /// The file as messages name it: a workbook with its sheet.
    pub fn affiche(&self) -> PathBuf {
        match &self.feuille {
            Some(f) => crate::feuilles::avec_feuille(&self.fichier, f),
            None => self.fichier.clone(),
        }
    }

    /// A problem of this table (of its sheet, for a workbook).
    pub fn probleme(&self, message: impl Into<String>) -> Probleme {
        Probleme::new(&self.affiche(), message)
    }

    pub fn position(&self, colonne: &str) -> usize {
        self.positions.get(colonne).copied().unwrap_or(0)
    }

    /// Data rows of the file; `None` for a file read in a stream, whose rows
    /// are counted by group, not in total (a total would cost the streaming
    /// pass a second count).
    pub fn lignes(&self) -> Option<usize> {
        (!self.en_flux).then(|| self.frame.height())
    }

    /// A file read in a stream (detail-level export): its header only, no
    /// rows kept.
    pub fn sans_donnees(
        fichier: &Path,
        encodage: Encodage,
        separateur: u8,
        positions: BTreeMap<&'static str, usize>,
        ignorees: Vec<String>,
    ) -> TableBrute {
        TableBrute {
            fichier: fichier.to_path_buf(),
            feuille: None,
            encodage,
            separateur,
            frame: DataFrame::empty(),
            positions,
            ignorees,
            en_flux: true,
        }
    }
}

/// Reads one export. Every structural problem of the file (unreadable,
/// empty, missing or duplicated columns, rows with too few or too many
/// fields) is an error naming the file and the line.
pub fn lire_table(fichier: &Path, colonnes: &[Colonne]) -> Resultat<TableBrute> {
    if let Some((classeur, _)) = crate::feuilles::separer(fichier) {
        let feuille = classeur::lire(fichier, colonnes)?;
        let affiche = crate::feuilles::avec_feuille(&classeur, &feuille.nom);
        let mut table = construire(
            &affiche,
            feuille.enregistrements.into_iter(),
            colonnes,
            (Encodage::Classeur, b';'),
        )?;
        table.fichier = classeur;
        table.feuille = Some(feuille.nom);
        return Ok(table);
    }
    let octets = std::fs::read(fichier).map_err(Erreur::acces(fichier, "lecture"))?;
    lire_octets(fichier, &octets, colonnes)
}

/// A row of the export: its 1-based line and its fields.
pub(crate) struct Enregistrement {
    pub(crate) ligne: usize,
    pub(crate) champs: Vec<String>,
}

/// Splits the text into records with the `csv` crate, which knows quoting
/// and line ends and says on which line each record starts: the line
/// numbers of every later message come from here. Blank lines are skipped.
fn enregistrements(fichier: &Path, texte: &str, separateur: u8) -> Resultat<Vec<Enregistrement>> {
    let mut lecteur = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separateur)
        .from_reader(texte.as_bytes());
    let mut sortie = Vec::new();
    for r in lecteur.records() {
        let r = r.map_err(|e| {
            let mut p = Probleme::new(fichier, "fichier CSV illisible").trouve(e.to_string());
            if let Some(pos) = e.position() {
                p = p.ligne(pos.line() as usize);
            }
            Erreur::Donnees(vec![p])
        })?;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let ligne = r.position().map(|p| p.line() as usize).unwrap_or(0);
        sortie.push(Enregistrement {
            ligne,
            champs: r.iter().map(str::to_owned).collect(),
        });
    }
    Ok(sortie)
}

/// What the header line says: the position of each canonical column, the
/// canonical column of each field, the headers that match none.
pub(crate) struct Entete {
    pub(crate) positions: BTreeMap<&'static str, usize>,
    pub(crate) colonne_du_champ: Vec<Option<&'static str>>,
    pub(crate) ignorees: Vec<String>,
}

/// Matches the header's fields with the canonical columns; a duplicated or
/// missing required column is an error naming the header line.
pub(crate) fn lire_entete(
    fichier: &Path,
    entete: &Enregistrement,
    colonnes: &[Colonne],
) -> Resultat<Entete> {
    // Header: canonical column of each field, if any.
    let mut positions = BTreeMap::new();
    let mut colonne_du_champ: Vec<Option<&'static str>> = Vec::new();
    let mut ignorees = Vec::new();
    let mut problemes = Vec::new();
    for (i, nom) in entete.champs.iter().enumerate() {
        let norme = normaliser(nom);
        let trouvee = colonnes
            .iter()
            .find(|c| !norme.is_empty() && c.reconnait(&norme));
        match trouvee {
            Some(c) if positions.contains_key(c.nom) => problemes.push(
                Probleme::new(fichier, format!("colonne {} en double", c.nom))
                    .ligne(entete.ligne)
                    .colonne(i + 1)
                    .trouve(nom.as_str()),
            ),
            Some(c) => {
                positions.insert(c.nom, i + 1);
            }
            // Trailing empty columns of spreadsheet exports are no news.
            None if norme.is_empty() => {}
            None => ignorees.push(nom.trim().to_string()),
        }
        colonne_du_champ.push(
            trouvee
                .filter(|c| positions.get(c.nom) == Some(&(i + 1)))
                .map(|c| c.nom),
        );
    }
    for c in colonnes
        .iter()
        .filter(|c| c.obligatoire && !positions.contains_key(c.nom))
    {
        let mut attendu = format!("une colonne « {} »", c.nom);
        if !c.alias.is_empty() {
            attendu.push_str(&format!(" (ou {})", c.alias.join(", ")));
        }
        problemes.push(
            Probleme::new(fichier, format!("colonne obligatoire {} absente", c.nom))
                .ligne(entete.ligne)
                .attendu(attendu)
                .trouve(entete.champs.join(" ; ")),
        );
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    Ok(Entete {
        positions,
        colonne_du_champ,
        ignorees,
    })
}

/// Reads an export held in memory (see [`lire_table`]).
pub fn lire_octets(fichier: &Path, octets: &[u8], colonnes: &[Colonne]) -> Resultat<TableBrute> {
    let (texte, encodage) = texte::decoder(octets);
    if texte.trim().is_empty() {
        return Err(Erreur::Donnees(vec![Probleme::new(
            fichier,
            "fichier vide",
        )
        .attendu("une ligne d'en-tête puis des lignes de données")]));
    }
    let separateur = texte::separateur(&texte);
    let lignes = enregistrements(fichier, &texte, separateur)?.into_iter();
    construire(fichier, lignes, colonnes, (encodage, separateur))
}

/// The table of an export's records, the header first (CSV lines or a
/// sheet's rows): columns matched, rows checked against the header.
fn construire(
    fichier: &Path,
    mut lignes: impl Iterator<Item = Enregistrement>,
    colonnes: &[Colonne],
    (encodage, separateur): (Encodage, u8),
) -> Resultat<TableBrute> {
    let Some(entete) = lignes.next() else {
        return Err(Erreur::Donnees(vec![Probleme::new(
            fichier,
            "fichier vide",
        )
        .attendu("une ligne d'en-tête puis des lignes de données")]));
    };

    let Entete {
        positions,
        colonne_du_champ,
        ignorees,
    } = lire_entete(fichier, &entete, colonnes)?;
    let mut problemes = Vec::new();

    // Data rows, column by column. A row may lack or add trailing empty
    // fields (spreadsheets do that); a missing or extra field with content
    // is an error.
    let largeur = entete
        .champs
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1);
    let mut valeurs: Vec<Vec<String>> = vec![Vec::new(); colonne_du_champ.len()];
    let mut numeros: Vec<u32> = Vec::new();
    for e in lignes {
        let remplis = e
            .champs
            .iter()
            .rposition(|c| !c.trim().is_empty())
            .map_or(0, |i| i + 1);
        if remplis > largeur {
            problemes.push(
                Probleme::new(fichier, "champs en trop")
                    .ligne(e.ligne)
                    .colonne(largeur + 1)
                    .attendu(format!("{largeur} champs, comme l'en-tête"))
                    .trouve(format!("{} champs", e.champs.len())),
            );
            continue;
        }
        if e.champs.len() < largeur {
            problemes.push(
                Probleme::new(fichier, "ligne incomplète")
                    .ligne(e.ligne)
                    .colonne(e.champs.len() + 1)
                    .attendu(format!("{largeur} champs, comme l'en-tête"))
                    .trouve(format!("{} champs", e.champs.len())),
            );
            continue;
        }
        for (j, v) in valeurs.iter_mut().enumerate() {
            v.push(e.champs.get(j).cloned().unwrap_or_default());
        }
        numeros.push(e.ligne as u32);
    }
    if !problemes.is_empty() {
        return Err(Erreur::Donnees(problemes));
    }
    if numeros.is_empty() {
        return Err(Erreur::Donnees(vec![Probleme::new(
            fichier,
            "aucune ligne de données après l'en-tête",
        )
        .ligne(entete.ligne)
        .attendu("au moins une ligne de données")]));
    }
    let mut series: Vec<Column> = colonne_du_champ
        .iter()
        .zip(valeurs)
        .filter_map(|(nom, v)| nom.map(|n| Column::new(n.into(), v)))
        .collect();
    series.push(Column::new(LIGNE.into(), numeros));
    let frame = DataFrame::new_infer_height(series)?;
    Ok(TableBrute {
        fichier: fichier.to_path_buf(),
        feuille: None,
        encodage,
        separateur,
        frame,
        positions,
        ignorees,
        en_flux: false,
    })
}

/// Reads every file of a source, gathering the data problems of all of them
/// (a run reports everything at once); an I/O error stops at once.
pub fn lire_tables(
    fichiers: &[PathBuf],
    colonnes: &[Colonne],
) -> Resultat<(Vec<TableBrute>, Vec<Probleme>)> {
    let mut tables = Vec::new();
    let mut problemes = Vec::new();
    for fichier in fichiers {
        match lire_table(fichier, colonnes) {
            Ok(t) => tables.push(t),
            Err(Erreur::Donnees(p)) => problemes.extend(p),
            Err(e) => return Err(e),
        }
    }
    Ok((tables, problemes))
}

/// The problems of an optional column of labels: each non-empty cell of
/// `colonne` that is not, once normalised, one of `valeurs`; none when the
/// file has no such column.
pub fn signaler_hors_liste(
    table: &TableBrute,
    colonne: &str,
    valeurs: &[&str],
    (message, attendu): (&str, &str),
) -> PolarsResult<Vec<Probleme>> {
    if !table.a(colonne) {
        return Ok(Vec::new());
    }
    signaler(
        table,
        valeurs::texte(colonne)
            .is_not_null()
            .and(valeurs::parmi(valeurs::valeur_normalisee(colonne), valeurs).not()),
        colonne,
        message,
        attendu,
    )
}

/// The referential's QPV codes (`_qpv`), each with `_connu` true, to join
/// a file's QPV to.
pub fn qpv_connus(referentiel: &crate::modele::Referentiel) -> LazyFrame {
    referentiel
        .lignes
        .clone()
        .lazy()
        .select([col("code_qpv").alias("_qpv"), lit(true).alias("_connu")])
        .unique(None, UniqueKeepStrategy::First)
}

/// `lf` with `_qpv`, the QPV code `code` in upper case, and `_connu`, true
/// when the referential (`connus`, [`qpv_connus`]) has it.
pub fn avec_qpv_connu(lf: LazyFrame, code: Expr, connus: &LazyFrame) -> LazyFrame {
    lf.with_column(code.str().to_uppercase().alias("_qpv"))
        .join(
            connus.clone(),
            [col("_qpv")],
            [col("_qpv")],
            JoinArgs::new(JoinType::Left),
        )
}

/// The rows of `verifiee` ([`avec_qpv_connu`]) where `aussi` holds that
/// name a QPV the referential does not have, in the cell of `colonne`.
pub fn signaler_qpv_inconnus(
    verifiee: &TableBrute,
    colonne: &str,
    aussi: Expr,
) -> PolarsResult<Vec<Probleme>> {
    signaler(
        verifiee,
        aussi
            .and(col("_qpv").is_not_null())
            .and(col("_connu").is_null()),
        colonne,
        "QPV absent du référentiel des QPV",
        "un code QPV présent dans referentiel_qpv*.csv",
    )
}

/// The problems of the optional column `localisation` (funding dossiers,
/// structures): `qpv`, `proximite_qpv` or `hors_qpv`.
pub fn signaler_localisations(table: &TableBrute) -> PolarsResult<Vec<Probleme>> {
    signaler_hors_liste(
        table,
        "localisation",
        &crate::modele::LOCALISATIONS,
        (
            "localisation inconnue",
            "qpv, proximite_qpv ou hors_qpv (vide : qpv si un code QPV est donné)",
        ),
    )
}

/// One located problem for each row of `table` where `fautif` holds: the
/// cell of `colonne` is quoted as found (a blank cell is not quoted).
pub fn signaler(
    table: &TableBrute,
    fautif: Expr,
    colonne: &str,
    message: &str,
    attendu: &str,
) -> PolarsResult<Vec<Probleme>> {
    let trouves = table
        .frame
        .clone()
        .lazy()
        .filter(fautif)
        .select([col(LIGNE), col(colonne).alias("_cellule")])
        .collect()?;
    let lignes = trouves.column(LIGNE)?.u32()?;
    let cellules = trouves.column("_cellule")?.str()?;
    Ok((0..trouves.height())
        .map(|i| {
            let p = table
                .probleme(message)
                .ligne(lignes.get(i).unwrap_or(0) as usize)
                .colonne(table.position(colonne))
                .attendu(attendu);
            match cellules.get(i).filter(|c| !c.trim().is_empty()) {
                Some(c) => p.trouve(c),
                None => p,
            }
        })
        .collect())
}
