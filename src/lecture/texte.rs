//! Bytes of an export to UTF-8 text, and its field separator.
//!
//! Exports come in UTF-8 (with or without BOM) or in Windows-1252. A strict
//! UTF-8 check decides: a CP1252 file with accents is never valid UTF-8,
//! while statistical guessers take short French samples for other code
//! pages (see `../shared/CRATES.md`).

use encoding_rs::WINDOWS_1252;

/// The encoding an export was read with, reported in the run log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encodage {
    Utf8,
    Utf8Bom,
    Windows1252,
    /// A workbook's sheet: cells, not bytes.
    Classeur,
}

impl Encodage {
    pub fn libelle(self) -> &'static str {
        match self {
            Encodage::Utf8 => "UTF-8",
            Encodage::Utf8Bom => "UTF-8 avec BOM",
            Encodage::Windows1252 => "Windows-1252",
            Encodage::Classeur => "classeur",
        }
    }
}

pub fn decoder(octets: &[u8]) -> (String, Encodage) {
    if let Some(reste) = octets.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(t) = std::str::from_utf8(reste) {
            return (t.to_owned(), Encodage::Utf8Bom);
        }
    }
    match std::str::from_utf8(octets) {
        Ok(t) => (t.to_owned(), Encodage::Utf8),
        Err(_) => {
            let (t, _) = WINDOWS_1252.decode_without_bom_handling(octets);
            (t.into_owned(), Encodage::Windows1252)
        }
    }
}

/// The separator among `;`, `,` and tab that occurs most often outside
/// quotes in the header line; `;` on a tie, as French exports mostly use it.
pub fn separateur(texte: &str) -> u8 {
    let entete = texte.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut comptes = [(b';', 0usize), (b'\t', 0), (b',', 0)];
    let mut entre_guillemets = false;
    for c in entete.bytes() {
        if c == b'"' {
            entre_guillemets = !entre_guillemets;
        } else if !entre_guillemets {
            for (s, n) in comptes.iter_mut() {
                if *s == c {
                    *n += 1;
                }
            }
        }
    }
    // Stable: on a tie the first of the list wins.
    comptes
        .iter()
        .fold(
            (b';', 0),
            |best, &(s, n)| if n > best.1 { (s, n) } else { best },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodages() {
        assert_eq!(
            decoder("Période".as_bytes()),
            ("Période".to_string(), Encodage::Utf8)
        );
        assert_eq!(
            decoder(b"\xEF\xBB\xBFP\xC3\xA9riode"),
            ("Période".to_string(), Encodage::Utf8Bom)
        );
        assert_eq!(
            decoder(b"P\xE9riode \x80"),
            ("Période €".to_string(), Encodage::Windows1252)
        );
    }

    #[test]
    fn separateurs() {
        assert_eq!(separateur("a;b;c\n1;2;3"), b';');
        assert_eq!(separateur("a,b,c\n"), b',');
        assert_eq!(separateur("a\tb\tc\n"), b'\t');
        assert_eq!(separateur("\n\"a;b\",c,d\n"), b',');
        assert_eq!(separateur("a\n"), b';');
    }
}
