//! Quarters and QPV generations.

use std::fmt;

/// A calendar quarter. Its `index` (year × 4 + quarter − 1) is how quarters
/// are stored in frames, so that T−1 and T−4 are plain subtractions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Periode {
    pub annee: i32,
    pub trimestre: u8,
}

/// The QPV list in force for a quarter: the 2015 list until 2023T4, the 2024
/// list from 2024T1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generation {
    Qpv2015,
    Qpv2024,
}

impl Generation {
    /// Prefix of the QPV codes of the generation.
    pub fn prefixe(self) -> &'static str {
        match self {
            Generation::Qpv2015 => "QP",
            Generation::Qpv2024 => "QN",
        }
    }
}

/// Index of 2024T1, the first quarter of the 2024 QPV list.
pub const PREMIER_INDEX_QPV2024: i32 = 2024 * 4;

impl Periode {
    pub fn index(self) -> i32 {
        self.annee * 4 + i32::from(self.trimestre) - 1
    }

    pub fn depuis_index(index: i32) -> Periode {
        Periode {
            annee: index.div_euclid(4),
            trimestre: (index.rem_euclid(4) + 1) as u8,
        }
    }

    pub fn decale(self, trimestres: i32) -> Periode {
        Periode::depuis_index(self.index() + trimestres)
    }

    /// The quarter's last day as the number AAAAMMJJ (2020T4 → 20201231).
    pub fn fin_aaaammjj(self) -> i32 {
        const FINS: [i32; 4] = [331, 630, 930, 1231];
        self.annee * 10_000 + FINS[usize::from(self.trimestre.clamp(1, 4)) - 1]
    }

    pub fn generation(self) -> Generation {
        if self.index() >= PREMIER_INDEX_QPV2024 {
            Generation::Qpv2024
        } else {
            Generation::Qpv2015
        }
    }

    /// Reads every quarter spelling of the exports: `2020T4`, `2020-T4`,
    /// `T4 2020`, `T4_2020`, `2020Q4`, `4e trimestre 2020`. The same rules,
    /// as polars expressions, are in `lecture::valeurs::periode_index`.
    pub fn lire(texte: &str) -> Option<Periode> {
        let t = texte.trim().to_uppercase();
        let chiffres: Vec<&str> = t
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .collect();
        let (annee, trimestre) = match chiffres.as_slice() {
            [a, q] if a.len() == 4 && q.len() == 1 => (a, q),
            [q, a] if a.len() == 4 && q.len() == 1 => (a, q),
            _ => return None,
        };
        let lettres: String = t.chars().filter(|c| c.is_alphabetic()).collect();
        let forme_valide = matches!(
            lettres.as_str(),
            "T" | "Q" | "ETRIMESTRE" | "ERTRIMESTRE" | "ÈMETRIMESTRE" | "EMETRIMESTRE"
        );
        let trimestre: u8 = trimestre.parse().ok()?;
        if !forme_valide || !(1..=4).contains(&trimestre) {
            return None;
        }
        Some(Periode {
            annee: annee.parse().ok()?,
            trimestre,
        })
    }

    /// "4e trimestre 2020".
    pub fn libelle_long(self) -> String {
        let rang = if self.trimestre == 1 {
            "1er".to_string()
        } else {
            format!("{}e", self.trimestre)
        };
        format!("{rang} trimestre {}", self.annee)
    }
}

impl fmt::Display for Periode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{}", self.annee, self.trimestre)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lit_toutes_les_graphies() {
        let attendu = Periode {
            annee: 2020,
            trimestre: 4,
        };
        for t in [
            "2020T4",
            "2020-T4",
            "T4 2020",
            "T4_2020",
            "2020Q4",
            "4e trimestre 2020",
            " 2020t4 ",
        ] {
            assert_eq!(Periode::lire(t), Some(attendu), "{t}");
        }
        for t in ["2020", "2020T5", "T0 2020", "20T4", "2020-12", "abc"] {
            assert_eq!(Periode::lire(t), None, "{t}");
        }
    }

    #[test]
    fn decalages_et_generations() {
        let p = Periode {
            annee: 2020,
            trimestre: 4,
        };
        assert_eq!(p.decale(-4).to_string(), "2019T4");
        assert_eq!(p.decale(-1).to_string(), "2020T3");
        assert_eq!(
            Periode {
                annee: 2021,
                trimestre: 1
            }
            .decale(-1)
            .to_string(),
            "2020T4"
        );
        assert_eq!(
            Periode {
                annee: 2023,
                trimestre: 4
            }
            .generation(),
            Generation::Qpv2015
        );
        assert_eq!(
            Periode {
                annee: 2024,
                trimestre: 1
            }
            .generation(),
            Generation::Qpv2024
        );
        assert_eq!(p.libelle_long(), "4e trimestre 2020");
    }
}
