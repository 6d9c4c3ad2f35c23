//! Header matching: a header is a canonical column when its normalised form
//! (lower case, accents removed, every run of other characters than letters
//! and digits turned into one `_`, trimmed) is the canonical name or one of
//! its aliases (DOMAIN.md, "Inputs").

/// A column the program understands.
#[derive(Debug, Clone, Copy)]
pub struct Colonne {
    pub nom: &'static str,
    pub alias: &'static [&'static str],
    pub obligatoire: bool,
}

impl Colonne {
    pub const fn obligatoire(nom: &'static str, alias: &'static [&'static str]) -> Colonne {
        Colonne {
            nom,
            alias,
            obligatoire: true,
        }
    }

    pub const fn facultative(nom: &'static str, alias: &'static [&'static str]) -> Colonne {
        Colonne {
            nom,
            alias,
            obligatoire: false,
        }
    }

    pub fn reconnait(&self, normalise: &str) -> bool {
        self.nom == normalise || self.alias.contains(&normalise)
    }
}

pub fn normaliser(entete: &str) -> String {
    let mut sortie = String::with_capacity(entete.len());
    let mut separateur_en_attente = false;
    for c in entete.chars().flat_map(char::to_lowercase) {
        let lettre = if c.is_ascii_alphanumeric() {
            Some(c.encode_utf8(&mut [0; 4]).to_owned())
        } else {
            sans_accent(c).map(str::to_owned)
        };
        match lettre {
            Some(l) => {
                if separateur_en_attente && !sortie.is_empty() {
                    sortie.push('_');
                }
                separateur_en_attente = false;
                sortie.push_str(&l);
            }
            None => separateur_en_attente = true,
        }
    }
    sortie
}

/// Latin letters with diacritics as found in French (and a few neighbouring
/// languages' place names) folded to ASCII; any other character is a
/// separator.
fn sans_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'ç' => "c",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'ñ' => "n",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ÿ' | 'ý' => "y",
        'œ' => "oe",
        'æ' => "ae",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_les_graphies() {
        for e in [
            "Code QPV",
            "CODE_QPV",
            "code-qpv",
            "Code  QPV",
            " code qpv ",
        ] {
            assert_eq!(normaliser(e), "code_qpv", "{e}");
        }
        assert_eq!(normaliser("Période"), "periode");
        assert_eq!(normaliser("Libellé"), "libelle");
        assert_eq!(normaliser("DE ABC"), "de_abc");
        assert_eq!(normaliser("DE ABC longue durée"), "de_abc_longue_duree");
        assert_eq!(
            normaliser("Nombre de demandeurs d'emploi"),
            "nombre_de_demandeurs_d_emploi"
        );
        assert_eq!(normaliser("Œuvre"), "oeuvre");
    }
}
