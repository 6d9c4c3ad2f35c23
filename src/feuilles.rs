//! Workbooks in paths: a sheet is named after `#` in the settings and in
//! messages (`registre.xlsx#Dossiers`), and a cell by its column letters.
//! Shared by the reader (`lecture::classeur`) and the messages
//! (`erreur`).

use std::path::{Path, PathBuf};

/// Extensions of the workbooks read.
const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `nom` (a file name, without a sheet) is a workbook's.
pub fn est_un_nom_de_classeur(nom: &str) -> bool {
    let nom = nom.to_lowercase();
    EXTENSIONS.iter().any(|e| nom.ends_with(&format!(".{e}")))
}

/// The workbook and the sheet of `chemin` (`registre.xlsx#Dossiers`), or
/// `None` when `chemin` does not name a workbook.
pub fn separer(chemin: &Path) -> Option<(PathBuf, Option<String>)> {
    let nom = chemin.file_name()?.to_str()?;
    let (fichier, feuille) = match nom.split_once('#') {
        Some((f, feuille)) => (f, Some(feuille.to_string())),
        None => (nom, None),
    };
    est_un_nom_de_classeur(fichier).then(|| (chemin.with_file_name(fichier), feuille))
}

/// `fichier` as messages name it: with its sheet, `registre.xlsx#Dossiers`
/// ([`crate::erreur::Probleme`] writes it « feuille « Dossiers » »).
pub fn avec_feuille(fichier: &Path, feuille: &str) -> PathBuf {
    let nom = fichier
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    fichier.with_file_name(format!("{nom}#{feuille}"))
}

/// The letters of a 1-based column number (`1` A, `27` AA).
pub fn lettres_de_colonne(mut n: usize) -> String {
    let mut lettres = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        lettres.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    lettres.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colonnes_en_lettres() {
        assert_eq!(lettres_de_colonne(1), "A");
        assert_eq!(lettres_de_colonne(6), "F");
        assert_eq!(lettres_de_colonne(26), "Z");
        assert_eq!(lettres_de_colonne(27), "AA");
        assert_eq!(lettres_de_colonne(703), "AAA");
    }

    #[test]
    fn classeur_et_feuille() {
        let (f, feuille) = separer(Path::new("entrees/registre.xlsx#Dossiers")).unwrap();
        assert_eq!(f, Path::new("entrees/registre.xlsx"));
        assert_eq!(feuille.as_deref(), Some("Dossiers"));
        assert_eq!(separer(Path::new("a/b.ODS")).unwrap().1, None);
        assert!(separer(Path::new("a/financements.csv")).is_none());
        assert!(separer(Path::new("a/notes#1.csv")).is_none());
    }
}
