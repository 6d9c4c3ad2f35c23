//! Statistical secrecy (DOMAIN.md, "Outputs"): primary suppression of the
//! counts from 1 to `seuil − 1`, then complementary suppression so that no
//! masked count can be recovered by subtraction from a published total.
//!
//! The complementary step is the "simple heuristic" of sdcTable
//! (`protectTable(method = "SIMPLEHEURISTIC")`), itself close to the
//! singleton rules of τ-Argus's hypercube method, on one-dimensional
//! relations `total = Σ parts`: while a relation has exactly one unknown
//! cell and that cell is secret, the smallest other non-zero part (else the
//! total) is masked too. Cells shared by several relations (a QPV is in its
//! commune's total, its EPT's and its département's) are masked everywhere
//! at once, which keeps the commune documents and the département's
//! consistent. Limits, as for any heuristic of this kind: it protects
//! against exact recovery by subtraction within and across the declared
//! relations, not against interval attacks (bounds on a masked cell from
//! non-negativity), and it may mask more cells than an optimal solution
//! (`docs/secret.md`).

pub(crate) mod audit;
pub(crate) mod tables;

use crate::modele::Statut;

/// One published count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Case {
    pub valeur: Option<f64>,
    pub statut: Statut,
}

/// `total = Σ parties`, by index into the cells.
#[derive(Debug, Clone)]
pub struct Relation {
    pub total: usize,
    pub parties: Vec<usize>,
}

/// How many counts of people one protection masked, and why
/// (`manifest.json`'s `secret`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bilan {
    /// Counts published or masked.
    pub cases: usize,
    pub primaires: usize,
    pub complementaires: usize,
}

impl Bilan {
    /// The counts masked, primary or complementary.
    pub fn masquees(&self) -> usize {
        self.primaires + self.complementaires
    }

    /// The share of the counts masked, to four decimals (0 when none).
    pub fn part_masquee(&self) -> f64 {
        if self.cases == 0 {
            return 0.0;
        }
        (self.masquees() as f64 / self.cases as f64 * 1e4).round() / 1e4
    }
}

/// Whether a count is a primary secret: 1 to `seuil − 1`.
pub fn est_primaire(v: f64, seuil: u32) -> bool {
    v >= 1.0 && v < f64::from(seuil)
}

/// Masks the counts from 1 to `seuil − 1`; returns how many.
pub fn primaire(cellules: &mut [Case], seuil: u32) -> usize {
    let mut n = 0;
    for c in cellules.iter_mut() {
        if let (Statut::Valeur, Some(v)) = (c.statut, c.valeur) {
            if est_primaire(v, seuil) {
                *c = Case {
                    valeur: None,
                    statut: Statut::Secret,
                };
                n += 1;
            }
        }
    }
    n
}

/// Masks, relation after relation until none changes, the cells needed so
/// that no relation has a single unknown cell that is secret; returns how
/// many. Deterministic: relations in the given order, ties by index.
pub fn complementaire(cellules: &mut [Case], relations: &[Relation]) -> usize {
    let mut n = 0;
    loop {
        let mut change = false;
        for r in relations {
            if seul_inconnu_secret(cellules, r).is_none() {
                continue;
            }
            let plus_petite = |candidats: &mut dyn Iterator<Item = usize>| {
                candidats
                    .filter_map(|i| match cellules[i] {
                        Case {
                            valeur: Some(v),
                            statut: Statut::Valeur,
                        } if v > 0.0 => Some((v, i)),
                        _ => None,
                    })
                    .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                    .map(|(_, i)| i)
            };
            let choisie = plus_petite(&mut r.parties.iter().copied())
                .or_else(|| plus_petite(&mut std::iter::once(r.total)));
            if let Some(i) = choisie {
                cellules[i] = Case {
                    valeur: None,
                    statut: Statut::Secret,
                };
                n += 1;
                change = true;
            }
        }
        if !change {
            return n;
        }
    }
}

/// True when no relation lets a secret cell be recovered by subtraction:
/// the invariant the unit tests check (the attacker's audit is issue #15's).
#[cfg(test)]
fn protege(cellules: &[Case], relations: &[Relation]) -> bool {
    relations
        .iter()
        .all(|r| seul_inconnu_secret(cellules, r).is_none())
}

/// The cell of `r` that subtraction would give away: its only cell that is
/// not a value, when that one is secret.
fn seul_inconnu_secret(cellules: &[Case], r: &Relation) -> Option<usize> {
    let mut inconnus = std::iter::once(r.total)
        .chain(r.parties.iter().copied())
        .filter(|&i| cellules[i].statut != Statut::Valeur);
    match (inconnus.next(), inconnus.next()) {
        (Some(i), None) if cellules[i].statut == Statut::Secret => Some(i),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(v: f64) -> Case {
        Case {
            valeur: Some(v),
            statut: Statut::Valeur,
        }
    }

    #[test]
    fn primaire_masque_les_petits_effectifs_seulement() {
        let mut cellules = vec![c(0.0), c(1.0), c(4.0), c(5.0), c(120.0)];
        assert_eq!(primaire(&mut cellules, 5), 2);
        let statuts: Vec<Statut> = cellules.iter().map(|c| c.statut).collect();
        assert_eq!(
            statuts,
            [
                Statut::Valeur,
                Statut::Secret,
                Statut::Secret,
                Statut::Valeur,
                Statut::Valeur
            ]
        );
        assert!(cellules[1].valeur.is_none());
    }

    #[test]
    fn complementaire_masque_la_plus_petite_autre_partie() {
        // 100 = 3 + 40 + 57: 3 alone masked would be 100 − 40 − 57.
        let mut cellules = vec![c(100.0), c(3.0), c(40.0), c(57.0)];
        let relations = vec![Relation {
            total: 0,
            parties: vec![1, 2, 3],
        }];
        primaire(&mut cellules, 5);
        assert!(!protege(&cellules, &relations));
        assert_eq!(complementaire(&mut cellules, &relations), 1);
        assert_eq!(cellules[2].statut, Statut::Secret);
        assert_eq!(cellules[3].statut, Statut::Valeur);
        assert!(protege(&cellules, &relations));
    }

    #[test]
    fn un_masque_se_propage_d_une_relation_a_l_autre() {
        // Département 0 = QPV 1 + 2 + 3; commune 4 = QPV 1 + 2.
        let mut cellules = vec![c(150.0), c(2.0), c(60.0), c(88.0), c(62.0)];
        let relations = vec![
            Relation {
                total: 0,
                parties: vec![1, 2, 3],
            },
            Relation {
                total: 4,
                parties: vec![1, 2],
            },
        ];
        primaire(&mut cellules, 5);
        complementaire(&mut cellules, &relations);
        assert!(protege(&cellules, &relations));
        // QPV 2 masked for the département protects the commune too.
        assert_eq!(cellules[2].statut, Statut::Secret);
    }

    #[test]
    fn sans_autre_partie_le_total_est_masque() {
        let mut cellules = vec![c(3.0), c(3.0)];
        let relations = vec![Relation {
            total: 0,
            parties: vec![1],
        }];
        primaire(&mut cellules, 5);
        assert!(protege(&cellules, &relations));
        let mut cellules = vec![c(12.0), c(3.0), c(0.0)];
        let relations = vec![Relation {
            total: 0,
            parties: vec![1, 2],
        }];
        primaire(&mut cellules, 5);
        complementaire(&mut cellules, &relations);
        assert_eq!(cellules[0].statut, Statut::Secret);
        assert!(protege(&cellules, &relations));
    }
}
