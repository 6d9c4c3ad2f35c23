//! The typed vocabulary every stage shares: value statuses, quarters, QPV
//! generations, territory levels, and the column names of the long tables.
//!
//! Figures travel between stages in *long* polars frames, one row per
//! territory × indicator × period, with a value and a status side by side,
//! so that a missing or secret figure is a status, never a 0.

pub mod departements;
mod periode;
pub mod ruptures;

pub use periode::{Generation, Periode, PREMIER_INDEX_QPV2024};

/// Column names of the long frames.
pub mod colonnes {
    pub const PERIODE: &str = "periode";
    pub const NIVEAU: &str = "niveau";
    pub const CODE: &str = "code";
    pub const CODE_COMMUNE: &str = "code_commune";
    pub const LIBELLE: &str = "libelle";
    pub const INDICATEUR: &str = "indicateur";
    pub const MESURE: &str = "mesure";
    pub const VALEUR: &str = "valeur";
    pub const STATUT: &str = "statut";
    /// 1-based line of the source file a figure comes from.
    pub const LIGNE: &str = "ligne";
    /// Index of the source file in the family's list of files.
    pub const FICHIER: &str = "fichier";
    /// Funding rows only: what the figure is about.
    pub const DISPOSITIF: &str = "dispositif";
    pub const VAGUE: &str = "vague";
    pub const LOCALISATION: &str = "localisation";
    pub const STATUT_DOSSIER: &str = "statut_dossier";
    /// Scheme rows only (`dispositif` set): the category of the count (the
    /// SIAE type…), the start date of a cumulative count and the reference
    /// date, `AAAA-MM-JJ`.
    pub const CATEGORIE: &str = "categorie";
    pub const DEPUIS: &str = "depuis";
    pub const AU: &str = "au";
    /// The département a row of a national input belongs to, added when
    /// the inputs are cut by département (`decoupage::marquer`);
    /// never written out.
    pub const DEPARTEMENT_LIGNE: &str = "_departement_de_la_ligne";
}

/// A territory level of the long table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Niveau {
    Departement,
    /// An établissement public territorial of the Grand Paris.
    Ept,
    /// An établissement public de coopération intercommunale (SIREN).
    Epci,
    Commune,
    Qpv,
    /// Input only: the producer's own total over all QPV of a département.
    EnsembleQpv,
    /// Output only: one mission locale (structure) of a département.
    MissionLocale,
    /// Output only: one funded dossier of a register.
    Dossier,
}

impl Niveau {
    /// As written in the inputs and in `indicateurs.csv`: the one place
    /// the levels are spelled.
    pub const fn nom(self) -> &'static str {
        match self {
            Niveau::Departement => "departement",
            Niveau::Ept => "ept",
            Niveau::Epci => "epci",
            Niveau::Commune => "commune",
            Niveau::Qpv => "qpv",
            Niveau::EnsembleQpv => "ensemble_qpv",
            Niveau::MissionLocale => "mission_locale",
            Niveau::Dossier => "dossier",
        }
    }
}

/// The levels' spellings, for polars literals and comparisons.
pub mod niveaux {
    use super::Niveau;

    pub const DEPARTEMENT: &str = Niveau::Departement.nom();
    pub const EPT: &str = Niveau::Ept.nom();
    pub const EPCI: &str = Niveau::Epci.nom();
    pub const COMMUNE: &str = Niveau::Commune.nom();
    pub const QPV: &str = Niveau::Qpv.nom();
    pub const ENSEMBLE_QPV: &str = Niveau::EnsembleQpv.nom();
    pub const MISSION_LOCALE: &str = Niveau::MissionLocale.nom();
    pub const DOSSIER: &str = Niveau::Dossier.nom();

    /// Output order of the levels.
    pub const SORTIE: [&str; 5] = [DEPARTEMENT, EPT, EPCI, COMMUNE, QPV];
    /// Levels accepted in the job-seeker export.
    pub const ENTREE: [&str; 6] = [DEPARTEMENT, EPT, EPCI, COMMUNE, QPV, ENSEMBLE_QPV];
    /// The intercommunal levels: a commune is in one of them, its EPT
    /// inside the Grand Paris, else its EPCI.
    pub const INTERCOMMUNAUX: [&str; 2] = [EPT, EPCI];
}

/// What a figure of the long table measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mesure {
    Effectif,
    EvolutionAnnuelle,
    EvolutionTrimestrielle,
    Part,
    Objectif,
    TauxRealisation,
    NbDossiers,
    MontantEur,
    /// How many QPV a territory has.
    NbQpv,
    /// Inhabitants (the referential's census population).
    Population,
    /// A count of things, not of people (structures, actions…): not
    /// under statistical secrecy.
    Nombre,
}

impl Mesure {
    /// As written in `indicateurs.csv`: the one place the measures are
    /// spelled.
    pub const fn nom(self) -> &'static str {
        match self {
            Mesure::Effectif => "effectif",
            Mesure::EvolutionAnnuelle => "evolution_annuelle",
            Mesure::EvolutionTrimestrielle => "evolution_trimestrielle",
            Mesure::Part => "part",
            Mesure::Objectif => "objectif",
            Mesure::TauxRealisation => "taux_realisation",
            Mesure::NbDossiers => "nb_dossiers",
            Mesure::MontantEur => "montant_eur",
            Mesure::NbQpv => "nb_qpv",
            Mesure::Population => "population",
            Mesure::Nombre => "nombre",
        }
    }
}

/// The measures' spellings, for polars literals and comparisons.
pub mod mesures {
    use super::Mesure;

    pub const EFFECTIF: &str = Mesure::Effectif.nom();
    pub const EVOLUTION_ANNUELLE: &str = Mesure::EvolutionAnnuelle.nom();
    pub const EVOLUTION_TRIMESTRIELLE: &str = Mesure::EvolutionTrimestrielle.nom();
    pub const PART: &str = Mesure::Part.nom();
    pub const OBJECTIF: &str = Mesure::Objectif.nom();
    pub const TAUX_REALISATION: &str = Mesure::TauxRealisation.nom();
    pub const NB_DOSSIERS: &str = Mesure::NbDossiers.nom();
    pub const MONTANT_EUR: &str = Mesure::MontantEur.nom();
    pub const NB_QPV: &str = Mesure::NbQpv.nom();
    pub const POPULATION: &str = Mesure::Population.nom();
    pub const NOMBRE: &str = Mesure::Nombre.nom();

    /// Output order.
    pub const ORDRE: [&str; 11] = [
        EFFECTIF,
        EVOLUTION_ANNUELLE,
        EVOLUTION_TRIMESTRIELLE,
        PART,
        OBJECTIF,
        TAUX_REALISATION,
        NB_DOSSIERS,
        MONTANT_EUR,
        NB_QPV,
        POPULATION,
        NOMBRE,
    ];
}

/// The job-seeker publics: input columns, in output order. `de_abc` is the
/// whole; each other public is a part of it.
pub const PUBLICS_DE: [&str; 6] = [
    "de_abc",
    "de_abc_moins_26",
    "de_abc_50_plus",
    "de_abc_longue_duree",
    "de_abc_infra_bac",
    "de_abc_sans_diplome",
];
pub const DE_ABC: &str = "de_abc";
/// Suffix of an indicator counting people living in the territory's QPV.
pub const SUFFIXE_QPV: &str = "_qpv";
/// Share of the département's QPV demand held by its three largest QPV.
pub const CONCENTRATION_TOP3: &str = "concentration_top3";

/// What a figure is: a value, or why there is none. The numeric codes are
/// ordered so that the status of a figure computed from several inputs is
/// the maximum of theirs (secret wins over not available, which wins over
/// not applicable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Statut {
    Valeur = 0,
    /// `///`: not applicable.
    NonApplicable = 1,
    /// `nd`, `...`, blank: not available.
    NonDisponible = 2,
    /// `s`: statistical secrecy.
    Secret = 3,
}

impl Statut {
    /// Code stored in frames (UInt32: polars is built without the u8 type).
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The status of a frame's cell; a null status is "not available".
    pub fn de_la_case(code: Option<u32>) -> Statut {
        code.map_or(Statut::NonDisponible, Statut::depuis_code)
    }

    pub fn depuis_code(code: u32) -> Statut {
        match code {
            0 => Statut::Valeur,
            1 => Statut::NonApplicable,
            3 => Statut::Secret,
            _ => Statut::NonDisponible,
        }
    }

    /// The status `indicateurs.csv` writes as `code` ([`Statut::code_csv`]).
    pub fn depuis_code_csv(code: Option<&str>) -> Statut {
        match code {
            None | Some("") => Statut::Valeur,
            Some("na") => Statut::NonApplicable,
            Some("secret") => Statut::Secret,
            Some(_) => Statut::NonDisponible,
        }
    }

    /// The `statut` column of `indicateurs.csv`.
    pub fn code_csv(self) -> &'static str {
        match self {
            Statut::Valeur => "",
            Statut::NonApplicable => "na",
            Statut::NonDisponible => "nd",
            Statut::Secret => "secret",
        }
    }

    /// The status in words, where a table spells it out.
    pub fn en_clair(self) -> &'static str {
        match self {
            Statut::Valeur => "",
            Statut::NonApplicable => "sans objet",
            Statut::NonDisponible => "non disponible",
            Statut::Secret => "secret",
        }
    }

    /// The conventional sign shown in documents in place of a number.
    pub fn signe(self) -> &'static str {
        match self {
            Statut::Valeur => "",
            Statut::NonApplicable => "///",
            Statut::NonDisponible => "nd",
            Statut::Secret => "s",
        }
    }
}

/// A text column as owned strings, a null read as "" (for the renderers
/// and the secrecy pass, which walk small aggregated tables).
pub fn textes(
    df: &polars::prelude::DataFrame,
    colonne: &str,
) -> polars::prelude::PolarsResult<Vec<String>> {
    Ok(df
        .column(colonne)?
        .str()?
        .iter()
        .map(|s| s.unwrap_or("").to_string())
        .collect())
}

/// The QPV referential, one row per QPV and commune: `code_qpv`, `nom_qpv`,
/// `code_commune`, `nom_commune`, the commune's intercommunality
/// (`niveau_interco`: `ept` inside the Grand Paris, else `epci`;
/// `code_interco`: the EPT's code or the EPCI's SIREN; `nom_interco`;
/// `nature_interco`: `EPT`, or the EPCI's `ME`, `CU`, `CA`, `CC` when
/// known; all null when not known), `population` (f64, null when not
/// given), `ligne`, `departements_interco` (u32: how many départements
/// the QPV of the commune's intercommunality lie in, over the whole
/// referential). Both QPV generations may be there.
#[derive(Debug, Clone)]
pub struct Referentiel {
    pub lignes: polars::prelude::DataFrame,
    /// INSEE's compositions of the EPT and EPCI (`code_commune`,
    /// `nom_commune` and the four intercommunality columns), every commune
    /// they list, with or without QPV, when given.
    pub composition: Option<polars::prelude::DataFrame>,
}

/// The intercommunality columns of the referential and compositions.
pub const COLONNES_INTERCO: [&str; 4] = [
    "niveau_interco",
    "code_interco",
    "nom_interco",
    "nature_interco",
];

impl Referentiel {
    /// Each commune's name and intercommunality (`code_commune`,
    /// `nom_commune`, and [`COLONNES_INTERCO`], one row per commune): the
    /// referential's communes, and INSEE's compositions for the others
    /// (communes without QPV) when given.
    pub fn communes_interco(&self) -> polars::prelude::PolarsResult<polars::prelude::LazyFrame> {
        use polars::prelude::*;
        let mut noms = vec!["code_commune", "nom_commune"];
        noms.extend(COLONNES_INTERCO);
        let colonnes: Vec<Expr> = noms.iter().map(|n| col(*n)).collect();
        let du_referentiel = self.lignes.clone().lazy().select(colonnes.clone());
        let toutes = match &self.composition {
            Some(c) => concat(
                [du_referentiel, c.clone().lazy().select(colonnes)],
                UnionArgs::default(),
            )?,
            None => du_referentiel,
        };
        Ok(toutes.unique_stable(
            Some(by_name(["code_commune"], true, false)),
            UniqueKeepStrategy::First,
        ))
    }

    /// Whether INSEE's composition gives every commune of the
    /// intercommunalities of level `niveau` (else only their communes with
    /// a QPV are known).
    pub fn composition_connue(&self, niveau: &str) -> bool {
        self.composition.as_ref().is_some_and(|c| {
            c.column("niveau_interco")
                .ok()
                .and_then(|n| n.str().ok().map(|n| n.iter().any(|x| x == Some(niveau))))
                .unwrap_or(false)
        })
    }
}

/// Job-seeker figures in long form: `periode` (i32 quarter index),
/// `niveau`, `code`, `code_commune` (set on a QPV row that gives the part of
/// the QPV in one commune), `libelle`, `indicateur` (the public's column
/// name), `valeur` (f64, null unless `statut` is 0), `statut` (u32),
/// `ligne`, `fichier` (index into `fichiers`).
#[derive(Debug, Clone)]
pub struct DemandeursEmploi {
    pub mesures: polars::prelude::DataFrame,
    /// Publics present in the inputs, in output order (absent columns give
    /// absent indicators, never zeros).
    pub publics: Vec<&'static str>,
    pub fichiers: Vec<std::path::PathBuf>,
    /// The figures an older overlapping export gave another value than the
    /// one kept (`lecture::chevauchements`).
    pub revisions: Vec<Revision>,
}

/// A producer revision: a figure of territory `niveau`/`code` that two
/// exports give differently, said in the losing file at its line.
#[derive(Debug, Clone)]
pub struct Revision {
    pub niveau: String,
    pub code: String,
    /// The losing file is the history: what an earlier run read. Said at
    /// the terminal only, not in the documents: the run that publishes
    /// rewrites the history, and the next run on the same exports would
    /// otherwise write other documents.
    pub contre_l_historique: bool,
    pub probleme: crate::erreur::Probleme,
}

/// Missions locales figures in long form: `annee` (i32), `code_structure`,
/// `nom_structure`, `indicateur` (the input column), `valeur`, `statut`,
/// `ligne`, `fichier`; and the targets: `annee`, `indicateur`, `valeur`,
/// `statut`, `ligne`, `fichier`.
#[derive(Debug, Clone)]
pub struct MissionsLocales {
    pub mesures: polars::prelude::DataFrame,
    pub objectifs: polars::prelude::DataFrame,
    /// Indicators present in the inputs, in output order.
    pub indicateurs: Vec<&'static str>,
    pub fichiers: Vec<std::path::PathBuf>,
}

/// Funding registers, one row per dossier: `dispositif`, `vague`,
/// `programme` (null when not given),
/// `porteur`, `intitule`, `code_commune`, `code_qpv`, `localisation`
/// (`qpv`, `proximite_qpv`, `hors_qpv`), `montant_eur` (f64), `statut`
/// (of the amount, u32), `statut_dossier` (`retenu`, `en_instruction`,
/// `arbitrage_en_cours`, `refuse`), `date_decision` (AAAAMMJJ, null when
/// not given), `ligne`, `fichier`.
#[derive(Debug, Clone)]
pub struct Financements {
    pub dossiers: polars::prelude::DataFrame,
    pub fichiers: Vec<std::path::PathBuf>,
    /// The envelope of each scheme and wave (`enveloppes*.csv`):
    /// `dispositif`, `vague`, `montant_eur`, `statut` and, once marked, the
    /// département; no row when none was given.
    pub enveloppes: polars::prelude::DataFrame,
}

/// Counts of schemes (`dispositifs*.csv`), one row per scheme, indicator,
/// category, period and territory: `dispositif` (as written),
/// `indicateur` (normalised like a header) and `libelle_indicateur` (as
/// written, for the documents), `categorie` (null: the whole),
/// `periode` (`2020T4` or `2020`), `debut` and `fin` (the period's first
/// and last days), `niveau` (`departement`, `commune`, `qpv`), `code`;
/// three figures with their status (f64 and u32, the value null unless
/// the status is 0): `valeur`/`statut`, `valeur_qpv`/`statut_qpv`,
/// `objectif`/`statut_objectif`; `depuis` and `au` (dates, null when not
/// given), `personnes` (whether the count is of people, under secrecy),
/// `euros` (whether it is an amount), `ligne`, `fichier`.
#[derive(Debug, Clone)]
pub struct Dispositifs {
    pub lignes: polars::prelude::DataFrame,
    pub fichiers: Vec<std::path::PathBuf>,
}

/// The calendar of calls for projects (`calendrier*.csv`): `dispositif`,
/// `etape`, `debut` and `fin` (AAAAMMJJ: the day given, or the first and
/// the last day of the month given, a month's last day being written 31
/// for comparisons), `au_jour` (whether a day was given), `ligne`,
/// `fichier`. Not cut by département: every annex of the run shows it.
#[derive(Debug, Clone)]
pub struct Echeances {
    pub lignes: polars::prelude::DataFrame,
    pub fichiers: Vec<std::path::PathBuf>,
}

/// Structures and labels (`structures*.csv`), one row per structure:
/// `type`, `nom`, `code_commune`, `nom_commune` (null unless the file gives
/// it), `code_qpv`, `localisation` (`qpv`, `proximite_qpv`, `hors_qpv`),
/// `statut_structure` (one of [`STATUTS_STRUCTURE`], `ouvert` by default),
/// `annee` (i32), `date` (AAAAMMJJ), `categorie`, `ligne`, `fichier`.
#[derive(Debug, Clone)]
pub struct Structures {
    pub lignes: polars::prelude::DataFrame,
    pub fichiers: Vec<std::path::PathBuf>,
}

/// Where a structure or label stands.
pub const STATUTS_STRUCTURE: [&str; 4] = ["ouvert", "labellise", "en_projet", "ferme"];

/// Units of a scheme count (`unite`, optional, default `personnes`): only
/// counts of people are under statistical secrecy; `euros` is an amount.
pub const UNITES: [&str; 10] = [
    "personnes",
    "structures",
    "etablissements",
    "actions",
    "conventions",
    "demandes",
    "contrats",
    "postes",
    "projets",
    "euros",
];

/// Missions locales indicators: the whole, then the part living in QPV.
pub const INDICATEURS_ML: [&str; 4] = [
    "jeunes_accompagnes",
    "entrees_gj",
    "entrees_pacea",
    "entrees_cej",
];

/// Where a funded project is.
pub const LOCALISATIONS: [&str; 3] = ["qpv", "proximite_qpv", "hors_qpv"];
/// Where a dossier stands.
pub const STATUTS_DOSSIER: [&str; 4] = ["retenu", "en_instruction", "arbitrage_en_cours", "refuse"];
