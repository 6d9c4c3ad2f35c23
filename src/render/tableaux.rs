//! The tables and sentences of the documents, built once from the
//! indicators and drawn alike by the workbook and the PDF renderers.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use super::format;
use crate::indicators::Indicateurs;
use crate::model::colonnes::*;
use crate::model::{
    mesures, niveaux, Referentiel, Statut, CONCENTRATION_TOP3, DE_ABC, SUFFIXE_QPV,
};
use crate::settings::Settings;

/// One cell of a table: a figure with its kind (which decides its format),
/// a conventional sign where there is no figure, or text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cellule {
    Texte(String),
    Effectif(f64),
    Part(f64),
    Evolution(f64),
    Manquant(Statut),
    /// Nothing to show by construction (the deck's "-").
    SansObjet,
}

impl Cellule {
    /// The cell as a person reads it, French style.
    pub fn texte(&self) -> String {
        match self {
            Cellule::Texte(t) => t.clone(),
            Cellule::Effectif(x) => format::effectif(*x),
            Cellule::Part(x) => format::pourcentage(*x),
            Cellule::Evolution(x) => format::evolution(*x),
            Cellule::Manquant(s) => s.signe().to_string(),
            Cellule::SansObjet => "–".to_string(),
        }
    }

    pub fn est_nombre(&self) -> bool {
        !matches!(self, Cellule::Texte(_))
    }
}

#[derive(Debug, Clone)]
pub struct Tableau {
    pub titre: String,
    pub entetes: Vec<String>,
    pub lignes: Vec<Vec<Cellule>>,
}

/// (niveau, code, indicateur, mesure).
type Cle = (String, String, String, String);

/// The indicators by key, for drawing.
pub struct Index {
    valeurs: HashMap<Cle, (Option<f64>, Statut)>,
    libelles: HashMap<(String, String), String>,
    codes: BTreeMap<String, Vec<String>>,
}

impl Index {
    pub fn new(indicateurs: &Indicateurs) -> PolarsResult<Index> {
        let t = &indicateurs.table;
        let texte = |c: &str| -> PolarsResult<Vec<String>> {
            Ok(t.column(c)?
                .str()?
                .iter()
                .map(|s| s.unwrap_or("").to_string())
                .collect())
        };
        let (niv, code, lib, ind, mes) = (
            texte(NIVEAU)?,
            texte(CODE)?,
            texte(LIBELLE)?,
            texte(INDICATEUR)?,
            texte(MESURE)?,
        );
        let val = t.column(VALEUR)?.f64()?;
        let st = t.column(STATUT)?.u32()?;
        let mut index = Index {
            valeurs: HashMap::new(),
            libelles: HashMap::new(),
            codes: BTreeMap::new(),
        };
        for i in 0..t.height() {
            let statut = Statut::depuis_code(st.get(i).unwrap_or(Statut::NonDisponible.code()));
            index.valeurs.insert(
                (
                    niv[i].clone(),
                    code[i].clone(),
                    ind[i].clone(),
                    mes[i].clone(),
                ),
                (val.get(i), statut),
            );
            if !lib[i].is_empty() {
                index
                    .libelles
                    .insert((niv[i].clone(), code[i].clone()), lib[i].clone());
            }
            let codes = index.codes.entry(niv[i].clone()).or_default();
            if codes.last() != Some(&code[i]) {
                codes.push(code[i].clone());
            }
        }
        Ok(index)
    }

    pub fn get(
        &self,
        niveau: &str,
        code: &str,
        indicateur: &str,
        mesure: &str,
    ) -> Option<(Option<f64>, Statut)> {
        self.valeurs
            .get(&(
                niveau.to_string(),
                code.to_string(),
                indicateur.to_string(),
                mesure.to_string(),
            ))
            .copied()
    }

    /// The figure, if it is a value.
    pub fn valeur(&self, niveau: &str, code: &str, indicateur: &str, mesure: &str) -> Option<f64> {
        match self.get(niveau, code, indicateur, mesure) {
            Some((Some(v), Statut::Valeur)) => Some(v),
            _ => None,
        }
    }

    /// The cell of a figure; an indicator that was not computed (its
    /// public is absent from the inputs) is not available.
    pub fn cellule(&self, niveau: &str, code: &str, indicateur: &str, mesure: &str) -> Cellule {
        match self.get(niveau, code, indicateur, mesure) {
            Some((Some(v), Statut::Valeur)) => match mesure {
                mesures::EFFECTIF => Cellule::Effectif(v),
                mesures::PART => Cellule::Part(v),
                _ => Cellule::Evolution(v),
            },
            Some((_, statut)) if statut != Statut::Valeur => Cellule::Manquant(statut),
            _ => Cellule::Manquant(Statut::NonDisponible),
        }
    }

    pub fn libelle(&self, niveau: &str, code: &str) -> String {
        self.libelles
            .get(&(niveau.to_string(), code.to_string()))
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// Codes of a level, in output order.
    pub fn codes(&self, niveau: &str) -> &[String] {
        self.codes.get(niveau).map(Vec::as_slice).unwrap_or(&[])
    }
}

fn qpv(indicateur: &str) -> String {
    format!("{indicateur}{SUFFIXE_QPV}")
}

/// The deck's table: job seekers in the département, in QPV, and three
/// publics in QPV; counts, annual evolutions, shares.
pub fn synthese(index: &Index, settings: &Settings) -> Tableau {
    let dep = settings.conseil.departement.as_str();
    let colonnes = [
        (
            DE_ABC.to_string(),
            format!("Demande d'emploi dans le {dep}"),
        ),
        (qpv(DE_ABC), "Demande d'emploi en QPV".to_string()),
        (
            qpv("de_abc_moins_26"),
            "Jeunes de moins de 26 ans en QPV".to_string(),
        ),
        (
            qpv("de_abc_50_plus"),
            "Seniors (50 ans et plus) en QPV".to_string(),
        ),
        (
            qpv("de_abc_longue_duree"),
            "Demande d'emploi de longue durée en QPV".to_string(),
        ),
    ];
    let mut entetes = vec![format!(
        "Catégories ABC, données brutes, {}",
        settings.conseil.periode.libelle_long()
    )];
    entetes.extend(colonnes.iter().map(|(_, l)| l.clone()));
    let ligne = |libelle: &str, mesure: &str| {
        let mut l = vec![Cellule::Texte(libelle.to_string())];
        for (i, (ind, _)) in colonnes.iter().enumerate() {
            l.push(if i == 0 && mesure == mesures::PART {
                Cellule::SansObjet
            } else {
                index.cellule(niveaux::DEPARTEMENT, dep, ind, mesure)
            });
        }
        l
    };
    Tableau {
        titre: "La demande d'emploi dans les QPV".to_string(),
        entetes,
        lignes: vec![
            ligne("Demandeurs d'emploi", mesures::EFFECTIF),
            ligne("Évolution annuelle", mesures::EVOLUTION_ANNUELLE),
            ligne("Part des publics QPV", mesures::PART),
        ],
    }
}

const PUBLICS_LIBELLES: [(&str, &str); 5] = [
    ("de_abc_moins_26", "Jeunes de moins de 26 ans"),
    ("de_abc_50_plus", "Seniors (50 ans et plus)"),
    ("de_abc_longue_duree", "Demandeurs d'emploi de longue durée"),
    ("de_abc_infra_bac", "Niveau de formation infra-bac"),
    ("de_abc_sans_diplome", "Sans diplôme"),
];

/// Profile of job seekers in QPV against the whole département.
pub fn profil(index: &Index, settings: &Settings) -> Tableau {
    let dep = settings.conseil.departement.as_str();
    Tableau {
        titre: "Profil des demandeurs d'emploi".to_string(),
        entetes: vec![
            "Part des demandeurs d'emploi".to_string(),
            "En QPV".to_string(),
            format!("Ensemble du département ({dep})"),
        ],
        lignes: PUBLICS_LIBELLES
            .iter()
            .map(|(ind, lib)| {
                vec![
                    Cellule::Texte(lib.to_string()),
                    index.cellule(niveaux::DEPARTEMENT, dep, &qpv(ind), mesures::PART),
                    index.cellule(niveaux::DEPARTEMENT, dep, ind, mesures::PART),
                ]
            })
            .collect(),
    }
}

/// Communes of each QPV, "Asnières-sur-Seine, Gennevilliers".
pub fn communes_des_qpv(referentiel: &Referentiel) -> PolarsResult<HashMap<String, String>> {
    let r = &referentiel.lignes;
    let codes = r.column("code_qpv")?.str()?;
    let noms = r.column("nom_commune")?.str()?;
    let communes = r.column("code_commune")?.str()?;
    let mut par_qpv: HashMap<String, Vec<String>> = HashMap::new();
    for i in 0..r.height() {
        let nom = noms.get(i).or(communes.get(i)).unwrap_or("").to_string();
        let liste = par_qpv
            .entry(codes.get(i).unwrap_or("").to_string())
            .or_default();
        if !liste.contains(&nom) {
            liste.push(nom);
        }
    }
    Ok(par_qpv
        .into_iter()
        .map(|(k, v)| (k, v.join(", ")))
        .collect())
}

pub fn par_qpv(index: &Index, communes: &HashMap<String, String>) -> Tableau {
    let mut entetes: Vec<String> = [
        "Code QPV",
        "Quartier",
        "Commune(s)",
        "Demandeurs d'emploi ABC",
        "Évolution annuelle",
        "Évolution trimestrielle",
        "Part de la demande en QPV du département",
    ]
    .map(String::from)
    .to_vec();
    entetes.extend(
        PUBLICS_LIBELLES
            .iter()
            .map(|(_, l)| format!("Part : {}", l.to_lowercase())),
    );
    let lignes = index
        .codes(niveaux::QPV)
        .iter()
        .map(|code| {
            let mut l = vec![
                Cellule::Texte(code.clone()),
                Cellule::Texte(index.libelle(niveaux::QPV, code)),
                Cellule::Texte(communes.get(code).cloned().unwrap_or_default()),
                index.cellule(niveaux::QPV, code, DE_ABC, mesures::EFFECTIF),
                index.cellule(niveaux::QPV, code, DE_ABC, mesures::EVOLUTION_ANNUELLE),
                index.cellule(niveaux::QPV, code, DE_ABC, mesures::EVOLUTION_TRIMESTRIELLE),
                index.cellule(niveaux::QPV, code, DE_ABC, mesures::PART),
            ];
            l.extend(
                PUBLICS_LIBELLES
                    .iter()
                    .map(|(ind, _)| index.cellule(niveaux::QPV, code, ind, mesures::PART)),
            );
            l
        })
        .collect();
    Tableau {
        titre: "Demandeurs d'emploi par QPV".to_string(),
        entetes,
        lignes,
    }
}

/// One row per territory of a level (communes or EPT) that has QPV.
pub fn par_territoire(index: &Index, niveau: &str) -> Tableau {
    let (titre, code_lib, nom_lib) = if niveau == niveaux::EPT {
        (
            "Demandeurs d'emploi par établissement public territorial",
            "Code EPT",
            "Territoire",
        )
    } else {
        ("Demandeurs d'emploi par commune", "Code commune", "Commune")
    };
    let mut entetes: Vec<String> = [
        code_lib,
        nom_lib,
        "Demandeurs d'emploi ABC",
        "Évolution annuelle",
        "Demandeurs d'emploi en QPV",
        "Évolution annuelle en QPV",
        "Part résidant en QPV",
    ]
    .map(String::from)
    .to_vec();
    entetes.extend(
        PUBLICS_LIBELLES[..3]
            .iter()
            .map(|(_, l)| format!("{l} en QPV")),
    );
    let de_abc_qpv = qpv(DE_ABC);
    let lignes = index
        .codes(niveau)
        .iter()
        .filter(|code| {
            index
                .get(niveau, code, &de_abc_qpv, mesures::EFFECTIF)
                .is_some()
        })
        .map(|code| {
            let mut l = vec![
                Cellule::Texte(code.clone()),
                Cellule::Texte(index.libelle(niveau, code)),
                index.cellule(niveau, code, DE_ABC, mesures::EFFECTIF),
                index.cellule(niveau, code, DE_ABC, mesures::EVOLUTION_ANNUELLE),
                index.cellule(niveau, code, &de_abc_qpv, mesures::EFFECTIF),
                index.cellule(niveau, code, &de_abc_qpv, mesures::EVOLUTION_ANNUELLE),
                index.cellule(niveau, code, &de_abc_qpv, mesures::PART),
            ];
            l.extend(
                PUBLICS_LIBELLES[..3]
                    .iter()
                    .map(|(ind, _)| index.cellule(niveau, code, &qpv(ind), mesures::EFFECTIF)),
            );
            l
        })
        .collect();
    Tableau {
        titre: titre.to_string(),
        entetes,
        lignes,
    }
}

/// The deck's key sentences, from the figures. A sentence whose figure is
/// missing or masked is left out, never written with a gap.
pub fn messages(
    index: &Index,
    indicateurs: &Indicateurs,
    communes: &HashMap<String, String>,
    settings: &Settings,
) -> Vec<String> {
    let dep = settings.conseil.departement.as_str();
    let d = |ind: &str, mes: &str| index.valeur(niveaux::DEPARTEMENT, dep, ind, mes);
    let habitants = match &settings.documents.adjectif {
        Some(a) => format!("des demandeurs d'emploi {a}s"),
        None => format!(
            "des demandeurs d'emploi du département ({})",
            settings.conseil.nom_departement
        ),
    };
    let mut phrases = Vec::new();
    if let Some(p) = d(&qpv(DE_ABC), mesures::PART) {
        phrases.push(format!(
            "À la fin du {}, {} {habitants} résident en quartier prioritaire de la politique de la ville (QPV).",
            settings.conseil.periode.libelle_long(),
            format::pourcentage(p)
        ));
    }
    if let (Some(c), 3) = (
        d(CONCENTRATION_TOP3, mesures::PART),
        indicateurs.top3_qpv.len(),
    ) {
        let noms: Vec<String> = indicateurs
            .top3_qpv
            .iter()
            .map(|q| {
                format!(
                    "{} ({})",
                    index.libelle(niveaux::QPV, q),
                    communes.get(q).cloned().unwrap_or_default()
                )
            })
            .collect();
        phrases.push(format!(
            "3 quartiers concentrent {} de la demande d'emploi en QPV : {}.",
            format::pourcentage(c),
            noms.join(", ")
        ));
    }
    for (ind, public) in [
        ("de_abc_moins_26", "sont des jeunes de moins de 26 ans"),
        ("de_abc_50_plus", "sont des seniors (50 ans et plus)"),
    ] {
        if let Some(p) = d(&qpv(ind), mesures::PART) {
            phrases.push(format!(
                "{} des demandeurs d'emploi en QPV {public}.",
                format::pourcentage(p)
            ));
        }
    }
    for (ind, public) in [
        ("de_abc_infra_bac", "ont un niveau de formation infra-bac"),
        ("de_abc_sans_diplome", "n'ont aucun diplôme"),
    ] {
        if let (Some(q), Some(e)) = (d(&qpv(ind), mesures::PART), d(ind, mesures::PART)) {
            phrases.push(format!(
                "{} des demandeurs d'emploi en QPV {public}, contre {} pour l'ensemble du département.",
                format::pourcentage(q),
                format::pourcentage(e)
            ));
        }
    }
    phrases
}

/// Published figures set beside the computed ones: one sentence each.
pub fn rapprochements(index: &Index, settings: &Settings) -> Vec<String> {
    settings
        .publies
        .iter()
        .map(|p| {
            let code = p.code.clone().unwrap_or_else(|| settings.conseil.departement.clone());
            let formater = |x: f64| match p.mesure.as_str() {
                mesures::EFFECTIF => format::effectif(x),
                mesures::PART => format::pourcentage(x),
                _ => format::evolution(x),
            };
            let publie = formater(p.valeur);
            match index.valeur(&p.niveau, &code, &p.indicateur, &p.mesure) {
                Some(v) if formater(v) == publie => {
                    format!("{} : {publie} publié ({}), confirmé par le calcul.", p.libelle, p.source)
                }
                Some(v) => format!(
                    "{} : la source ({}) indique {publie}, mais ses propres effectifs donnent {} ; c'est ce chiffre calculé qui figure dans l'annexe.",
                    p.libelle,
                    p.source,
                    formater(v)
                ),
                None => format!("{} : {publie} publié ({}) ; le chiffre calculé n'est pas disponible.", p.libelle, p.source),
            }
        })
        .collect()
}
