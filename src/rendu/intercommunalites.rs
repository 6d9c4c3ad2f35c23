//! How the documents name a département's intercommunal level: "EPT"
//! inside the Grand Paris, "EPCI" elsewhere (the métropole, communauté
//! urbaine, d'agglomération or de communes that signs the contrat de
//! ville), "intercommunalité" where a département has both (the Val-d'Oise
//! or the Essonne, with a commune in an EPT), nothing where it has none.

use super::tableaux::Index;
use crate::modele::niveaux;

/// The intercommunal levels of a département's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intercommunalites {
    ept: bool,
    epci: bool,
}

impl Intercommunalites {
    /// The levels that have figures in `index`.
    pub fn de(index: &Index) -> Self {
        Intercommunalites {
            ept: !index.codes(niveaux::EPT).is_empty(),
            epci: !index.codes(niveaux::EPCI).is_empty(),
        }
    }

    /// The levels present, in output order.
    pub fn niveaux(self) -> Vec<&'static str> {
        [(self.ept, niveaux::EPT), (self.epci, niveaux::EPCI)]
            .into_iter()
            .filter_map(|(present, n)| present.then_some(n))
            .collect()
    }

    /// Whether the département has no intercommunal figure.
    pub fn aucune(self) -> bool {
        !self.ept && !self.epci
    }

    /// The level's short name, as a column header: "EPT", "EPCI",
    /// "Intercommunalité".
    pub fn sigle(self) -> &'static str {
        match (self.ept, self.epci) {
            (true, false) => "EPT",
            (false, true) => "EPCI",
            _ => "Intercommunalité",
        }
    }

    /// The level in a sentence: "EPT", "EPCI", "intercommunalité".
    pub fn sigle_en_phrase(self) -> &'static str {
        match (self.ept, self.epci) {
            (true, false) => "EPT",
            (false, true) => "EPCI",
            _ => "intercommunalité",
        }
    }

    /// "d'un EPT", "d'un EPCI", "d'une intercommunalité".
    pub fn d_un(self) -> &'static str {
        match (self.ept, self.epci) {
            (true, false) => "d'un EPT",
            (false, true) => "d'un EPCI",
            _ => "d'une intercommunalité",
        }
    }

    /// "chaque EPT", "chaque EPCI", "chaque intercommunalité".
    pub fn chaque(self) -> &'static str {
        match (self.ept, self.epci) {
            (true, false) => "chaque EPT",
            (false, true) => "chaque EPCI",
            _ => "chaque intercommunalité",
        }
    }

    /// The table's title: "par établissement public territorial", "par
    /// EPCI", "par intercommunalité".
    pub fn titre(self) -> &'static str {
        match (self.ept, self.epci) {
            (true, false) => "par établissement public territorial",
            (false, true) => "par intercommunalité (EPCI)",
            _ => "par intercommunalité",
        }
    }

    /// The workbook's sheet: "Par EPT", "Par EPCI", "Par intercommunalité".
    pub fn feuille(self) -> &'static str {
        match (self.ept, self.epci) {
            (true, false) => "Par EPT",
            (false, true) => "Par EPCI",
            _ => "Par intercommunalité",
        }
    }

    /// The header of the code column.
    pub fn entete_du_code(self) -> &'static str {
        match (self.ept, self.epci) {
            (true, false) => "Code EPT",
            (false, true) => "SIREN de l'EPCI",
            _ => "Code (EPT) ou SIREN (EPCI)",
        }
    }

    /// The header of the name column.
    pub fn entete_du_nom(self) -> &'static str {
        match (self.ept, self.epci) {
            (true, false) => "Territoire",
            (false, true) => "EPCI",
            _ => "Intercommunalité",
        }
    }
}

/// The short name of one intercommunal level, for a row.
pub fn sigle_du_niveau(niveau: &str) -> &'static str {
    if niveau == niveaux::EPCI {
        "EPCI"
    } else {
        "EPT"
    }
}
