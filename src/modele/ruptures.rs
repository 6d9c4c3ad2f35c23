//! Known breaks of series (DOMAIN.md, "Known breaks of series"), as data:
//! every document footnotes an evolution or a series that spans one.

use super::Periode;

/// What a break affects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perimetre {
    /// Figures in QPV only (the list of QPV changes).
    Qpv,
    /// Every job-seeker figure.
    DemandeursEmploi,
}

/// A break: figures before `premiere` and from `premiere` on do not measure
/// the same thing.
#[derive(Debug, Clone, Copy)]
pub struct Rupture {
    /// First quarter of the new series.
    pub premiere: Periode,
    pub perimetre: Perimetre,
    pub titre: &'static str,
    pub note: &'static str,
}

pub const RUPTURES: [Rupture; 2] = [
    Rupture {
        premiere: Periode {
            annee: 2024,
            trimestre: 1,
        },
        perimetre: Perimetre::Qpv,
        titre: "nouvelle géographie prioritaire de 2024",
        note: "au 1er janvier 2024, les quartiers prioritaires de 2015 sont remplacés par ceux de 2024 (décret n° 2023-1314 du 28 décembre 2023) : les évolutions des chiffres en QPV qui enjambent ce changement sont sans objet (///).",
    },
    Rupture {
        premiere: Periode {
            annee: 2025,
            trimestre: 1,
        },
        perimetre: Perimetre::DemandeursEmploi,
        titre: "loi pour le plein emploi",
        note: "depuis le 1er janvier 2025 (loi n° 2023-1196 du 18 décembre 2023 pour le plein emploi), les bénéficiaires du RSA et les jeunes accompagnés par les missions locales ou Cap emploi sont inscrits automatiquement à France Travail : les évolutions qui enjambent cette date mêlent cet effet à celui de la conjoncture.",
    },
];

/// The breaks between `debut` (excluded) and `fin` (included): those an
/// evolution from `debut` to `fin` spans.
pub fn enjambees(debut: Periode, fin: Periode) -> Vec<&'static Rupture> {
    RUPTURES
        .iter()
        .filter(|r| debut.index() < r.premiere.index() && r.premiere.index() <= fin.index())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Periode {
        Periode::lire(t).unwrap()
    }

    #[test]
    fn ruptures_enjambees() {
        assert!(enjambees(p("2019T4"), p("2020T4")).is_empty());
        let r = enjambees(p("2024T4"), p("2025T1"));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].titre, "loi pour le plein emploi");
        assert_eq!(enjambees(p("2023T4"), p("2025T4")).len(), 2);
        assert!(enjambees(p("2025T1"), p("2025T4")).is_empty());
    }
}
