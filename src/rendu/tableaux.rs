//! The tables and sentences of the documents, built once from the
//! indicators and drawn alike by the workbook and the PDF renderers.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::format;
use crate::indicateurs::financements::{Dossier, Enveloppe};
use crate::indicateurs::{
    AnnexePrecedente, ChiffrePrecedent, Indicateurs, MissionsLocalesCalculees,
};
use crate::modele::colonnes::*;
use crate::modele::{mesures, niveaux, textes, Statut, CONCENTRATION_TOP3, DE_ABC, SUFFIXE_QPV};
use crate::reglages::Reglages;

/// One cell of a table: a figure with its kind (which decides its format),
/// a conventional sign where there is no figure, or text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cellule {
    Texte(String),
    Effectif(f64),
    Part(f64),
    Evolution(f64),
    /// An amount in euros, exact.
    Montant(f64),
    Manquant(Statut),
    /// No figure, said in words ("non disponible") where the deck does.
    ManquantEnClair(Statut),
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
            Cellule::Montant(x) => format::montant(*x),
            Cellule::Manquant(s) => s.signe().to_string(),
            Cellule::ManquantEnClair(s) => s.en_clair().to_string(),
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

/// (periode, niveau, code, indicateur, mesure).
type Cle = (String, String, String, String, String);

/// The indicators by key, for drawing. Funding rows, whose key is in
/// their detail columns, are drawn from their own table.
pub struct Index {
    /// The reference quarter, for lookups that do not name a period.
    periode: String,
    valeurs: HashMap<Cle, (Option<f64>, Statut)>,
    libelles: HashMap<(String, String), String>,
    codes: BTreeMap<String, Vec<String>>,
}

impl Index {
    pub fn new(indicateurs: &Indicateurs, periode: &str) -> PolarsResult<Index> {
        let t = indicateurs
            .table
            .clone()
            .lazy()
            .filter(col(DISPOSITIF).is_null())
            .collect()?;
        let texte = |c: &str| textes(&t, c);
        let (per, niv, code, lib, ind, mes) = (
            texte(PERIODE)?,
            texte(NIVEAU)?,
            texte(CODE)?,
            texte(LIBELLE)?,
            texte(INDICATEUR)?,
            texte(MESURE)?,
        );
        let val = t.column(VALEUR)?.f64()?;
        let st = t.column(STATUT)?.u32()?;
        let mut index = Index {
            periode: periode.to_string(),
            valeurs: HashMap::new(),
            libelles: HashMap::new(),
            codes: BTreeMap::new(),
        };
        let mut vus = std::collections::HashSet::new();
        for i in 0..t.height() {
            let statut = Statut::de_la_case(st.get(i));
            index.valeurs.insert(
                (
                    per[i].clone(),
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
            // Each level's codes in their first row's order: the families'
            // rows follow one another (job seekers, then the QPV table…).
            if per[i] == periode && vus.insert((niv[i].as_str(), code[i].as_str())) {
                index
                    .codes
                    .entry(niv[i].clone())
                    .or_default()
                    .push(code[i].clone());
            }
        }
        Ok(index)
    }

    /// The figure of a period, whatever its status.
    pub fn chercher_en(
        &self,
        periode: &str,
        niveau: &str,
        code: &str,
        indicateur: &str,
        mesure: &str,
    ) -> Option<(Option<f64>, Statut)> {
        self.valeurs
            .get(&(
                periode.to_string(),
                niveau.to_string(),
                code.to_string(),
                indicateur.to_string(),
                mesure.to_string(),
            ))
            .copied()
    }

    /// The figure of the reference period, whatever its status.
    pub fn chercher(
        &self,
        niveau: &str,
        code: &str,
        indicateur: &str,
        mesure: &str,
    ) -> Option<(Option<f64>, Statut)> {
        self.chercher_en(&self.periode, niveau, code, indicateur, mesure)
    }

    /// The figure of a period, if it is a value.
    pub fn valeur_en(
        &self,
        periode: &str,
        niveau: &str,
        code: &str,
        indicateur: &str,
        mesure: &str,
    ) -> Option<f64> {
        match self.chercher_en(periode, niveau, code, indicateur, mesure) {
            Some((Some(v), Statut::Valeur)) => Some(v),
            _ => None,
        }
    }

    /// The figure of the reference quarter, if it is a value.
    pub fn valeur(&self, niveau: &str, code: &str, indicateur: &str, mesure: &str) -> Option<f64> {
        self.valeur_en(&self.periode, niveau, code, indicateur, mesure)
    }

    /// The cell of a figure of a period; an indicator that was not computed
    /// (its column is absent from the inputs) is not available.
    pub fn cellule_en(
        &self,
        periode: &str,
        niveau: &str,
        code: &str,
        indicateur: &str,
        mesure: &str,
    ) -> Cellule {
        match self.chercher_en(periode, niveau, code, indicateur, mesure) {
            Some((Some(v), Statut::Valeur)) => match mesure {
                mesures::EFFECTIF
                | mesures::OBJECTIF
                | mesures::NB_DOSSIERS
                | mesures::NB_QPV
                | mesures::POPULATION
                | mesures::NOMBRE => Cellule::Effectif(v),
                mesures::PART | mesures::TAUX_REALISATION => Cellule::Part(v),
                mesures::MONTANT_EUR => Cellule::Montant(v),
                _ => Cellule::Evolution(v),
            },
            Some((_, statut)) if statut != Statut::Valeur => Cellule::Manquant(statut),
            _ => Cellule::Manquant(Statut::NonDisponible),
        }
    }

    pub fn cellule(&self, niveau: &str, code: &str, indicateur: &str, mesure: &str) -> Cellule {
        self.cellule_en(&self.periode, niveau, code, indicateur, mesure)
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

/// "dans les Hauts-de-Seine", "dans le Val-d'Oise": the département by
/// its name (the settings' name for a code outside the COG).
pub fn dans_le_departement(reglages: &Reglages) -> String {
    let c = &reglages.conseil;
    crate::modele::departements::chercher(&c.departement)
        .map(|d| d.dans())
        .unwrap_or_else(|| format!("dans {}", c.nom_departement))
}

/// The deck's table: job seekers in the département, in QPV, and three
/// publics in QPV; counts, annual evolutions, shares.
pub fn synthese(index: &Index, reglages: &Reglages) -> Tableau {
    let dep = reglages.conseil.departement.as_str();
    let colonnes = [
        (
            DE_ABC.to_string(),
            format!("Demande d'emploi {}", dans_le_departement(reglages)),
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
        reglages.conseil.periode.libelle_long()
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
            ligne(
                &super::evolution_annuelle(reglages, "Évolution annuelle"),
                mesures::EVOLUTION_ANNUELLE,
            ),
            ligne("Part des publics QPV", mesures::PART),
        ],
    }
}

pub const PUBLICS_LIBELLES: [(&str, &str); 5] = [
    ("de_abc_moins_26", "Jeunes de moins de 26 ans"),
    ("de_abc_50_plus", "Seniors (50 ans et plus)"),
    ("de_abc_longue_duree", "Demandeurs d'emploi de longue durée"),
    ("de_abc_infra_bac", "Niveau de formation infra-bac"),
    ("de_abc_sans_diplome", "Sans diplôme"),
];

/// Profile of job seekers in QPV against the whole département.
pub fn profil(index: &Index, reglages: &Reglages) -> Tableau {
    let dep = reglages.conseil.departement.as_str();
    Tableau {
        titre: "Profil des demandeurs d'emploi".to_string(),
        entetes: vec![
            "Part des demandeurs d'emploi".to_string(),
            "En QPV".to_string(),
            format!(
                "Ensemble du département ({})",
                reglages.conseil.nom_departement
            ),
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

/// One row per commune that has QPV.
pub fn par_commune(index: &Index) -> Tableau {
    par_territoire(
        index,
        "Demandeurs d'emploi par commune".to_string(),
        ("Code commune", "Commune"),
        &[niveaux::COMMUNE],
    )
}

/// One row per intercommunality (EPT, EPCI) that has QPV.
pub fn par_intercommunalite(index: &Index) -> Tableau {
    let inter = super::intercommunalites::Intercommunalites::de(index);
    par_territoire(
        index,
        format!("Demandeurs d'emploi {}", inter.titre()),
        (inter.entete_du_code(), inter.entete_du_nom()),
        &inter.niveaux(),
    )
}

/// One row per territory of the levels `niveaux` that has QPV.
fn par_territoire(
    index: &Index,
    titre: String,
    (code_lib, nom_lib): (&str, &str),
    niveaux: &[&str],
) -> Tableau {
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
    let lignes = niveaux
        .iter()
        .flat_map(|n| index.codes(n).iter().map(move |code| (*n, code)))
        .filter(|(niveau, code)| {
            index
                .chercher(niveau, code, &de_abc_qpv, mesures::EFFECTIF)
                .is_some()
        })
        .map(|(niveau, code)| {
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
        titre,
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
    reglages: &Reglages,
) -> Vec<String> {
    let dep = reglages.conseil.departement.as_str();
    let d = |ind: &str, mes: &str| index.valeur(niveaux::DEPARTEMENT, dep, ind, mes);
    let habitants = match &reglages.documents.adjectif {
        Some(a) => format!("des demandeurs d'emploi {}", format::pluriel(a)),
        None => format!(
            "des demandeurs d'emploi du département ({})",
            reglages.conseil.nom_departement
        ),
    };
    let mut phrases = Vec::new();
    if let Some(p) = d(&qpv(DE_ABC), mesures::PART) {
        phrases.push(format!(
            "À la fin du {}, {} {habitants} résident en quartier prioritaire de la politique de la ville (QPV).",
            reglages.conseil.periode.libelle_long(),
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
    // The largest rises over a year among the QPV whose figures are
    // published (a masked or missing evolution is no candidate).
    let mut hausses: Vec<(f64, &String)> = index
        .codes(niveaux::QPV)
        .iter()
        .filter_map(|q| {
            index
                .valeur(niveaux::QPV, q, DE_ABC, mesures::EVOLUTION_ANNUELLE)
                .map(|e| (e, q))
        })
        .filter(|(e, _)| *e > 0.0)
        .collect();
    hausses.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    if !hausses.is_empty() {
        let liste: Vec<String> = hausses
            .iter()
            .take(3)
            .map(|(e, q)| {
                format!(
                    "{} ({})",
                    index.libelle(niveaux::QPV, q),
                    format::evolution(*e)
                )
            })
            .collect();
        phrases.push(format!(
            "Plus fortes hausses de la demande d'emploi sur un an : {}.",
            liste.join(", ")
        ));
    }
    phrases
}

/// Published figures set beside the computed ones: one sentence each.
pub fn rapprochements(index: &Index, reglages: &Reglages) -> Vec<String> {
    reglages
        .publies
        .iter()
        .map(|p| {
            let code = p.code.clone().unwrap_or_else(|| reglages.conseil.departement.clone());
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

/// Labels of the missions locales indicators.
fn libelle_ml(indicateur: &str) -> &'static str {
    match indicateur {
        "jeunes_accompagnes" => "Jeunes accompagnés",
        "entrees_gj" => "Entrées en Garantie jeunes",
        "entrees_pacea" => "Entrées en PACEA",
        "entrees_cej" => "Entrées en contrat d'engagement jeune",
        _ => "Autre",
    }
}

/// Short names of the programmes, as in "Objectifs 2021 : Garantie jeunes…".
fn nom_court_ml(indicateur: &str) -> &'static str {
    match indicateur {
        "jeunes_accompagnes" => "jeunes accompagnés",
        "entrees_gj" => "Garantie jeunes",
        "entrees_pacea" => "PACEA",
        "entrees_cej" => "contrat d'engagement jeune",
        _ => "autre",
    }
}

/// A missing figure said in words, as the deck does for the missions locales.
fn en_clair(c: Cellule) -> Cellule {
    match c {
        Cellule::Manquant(s) => Cellule::ManquantEnClair(s),
        autre => autre,
    }
}

/// Young people followed by the missions locales, for their reference
/// year (the latest of the export up to the quarter's year), with the
/// targets of that year and the next.
pub fn missions_locales(
    index: &Index,
    ml: &MissionsLocalesCalculees,
    reglages: &Reglages,
) -> Tableau {
    let dep = reglages.conseil.departement.as_str();
    let an = ml.annee;
    let (y, suivante) = (an.to_string(), (an + 1).to_string());
    let lignes = ml
        .indicateurs
        .iter()
        .map(|ind| {
            let c = |periode: &str, indicateur: &str, mesure: &str| {
                en_clair(index.cellule_en(periode, niveaux::DEPARTEMENT, dep, indicateur, mesure))
            };
            let q = qpv(ind);
            let objectif = |p: &str| match index.chercher_en(
                p,
                niveaux::DEPARTEMENT,
                dep,
                ind,
                mesures::OBJECTIF,
            ) {
                Some(_) => c(p, ind, mesures::OBJECTIF),
                None => Cellule::SansObjet,
            };
            let taux = match index.chercher_en(
                &y,
                niveaux::DEPARTEMENT,
                dep,
                ind,
                mesures::TAUX_REALISATION,
            ) {
                Some(_) => c(&y, ind, mesures::TAUX_REALISATION),
                None => Cellule::SansObjet,
            };
            vec![
                Cellule::Texte(libelle_ml(ind).to_string()),
                c(&y, ind, mesures::EFFECTIF),
                c(&y, ind, mesures::EVOLUTION_ANNUELLE),
                c(&y, &q, mesures::EFFECTIF),
                c(&y, &q, mesures::PART),
                objectif(&y),
                taux,
                objectif(&suivante),
            ]
        })
        .collect();
    Tableau {
        titre: format!("Missions locales du département, {an}"),
        entetes: vec![
            "Missions locales".to_string(),
            format!("{an}"),
            "Évolution sur un an".to_string(),
            "dont résidant en QPV".to_string(),
            "Part résidant en QPV".to_string(),
            format!("Objectif {an}"),
            format!("Taux de réalisation {an}"),
            format!("Objectif {}", an + 1),
        ],
        lignes,
    }
}

/// The same figures, structure by structure, secrecy applied.
pub fn missions_locales_par_structure(ml: &MissionsLocalesCalculees) -> PolarsResult<Tableau> {
    let annee = ml.annee;
    let t = ml
        .structures
        .clone()
        .lazy()
        .filter(col("annee").eq(lit(annee)))
        .collect()?;
    let codes = t.column("code_structure")?.str()?;
    let noms = t.column("nom_structure")?.str()?;
    let indicateurs = t.column(INDICATEUR)?.str()?;
    let valeurs = t.column(VALEUR)?.f64()?;
    let statuts = t.column(STATUT)?.u32()?;
    let colonnes: Vec<String> = ml
        .indicateurs
        .iter()
        .flat_map(|i| [i.to_string(), qpv(i)])
        .collect();
    let mut structures: Vec<(String, String)> = Vec::new();
    let mut cellules: HashMap<(String, String), Cellule> = HashMap::new();
    for i in 0..t.height() {
        let cle = (
            codes.get(i).unwrap_or("").to_string(),
            noms.get(i).unwrap_or("").to_string(),
        );
        if !structures.contains(&cle) {
            structures.push(cle.clone());
        }
        let cellule = match (valeurs.get(i), Statut::de_la_case(statuts.get(i))) {
            (Some(v), Statut::Valeur) => Cellule::Effectif(v),
            (_, s) => Cellule::ManquantEnClair(s),
        };
        cellules.insert(
            (cle.0.clone(), indicateurs.get(i).unwrap_or("").to_string()),
            cellule,
        );
    }
    let mut entetes = vec!["Mission locale".to_string()];
    for i in &ml.indicateurs {
        entetes.push(libelle_ml(i).to_string());
        entetes.push("dont QPV".to_string());
    }
    let lignes = structures
        .iter()
        .map(|(code, nom)| {
            let mut l = vec![Cellule::Texte(if nom.is_empty() {
                code.clone()
            } else {
                nom.clone()
            })];
            l.extend(colonnes.iter().map(|c| {
                cellules
                    .get(&(code.clone(), c.clone()))
                    .cloned()
                    .unwrap_or(Cellule::ManquantEnClair(Statut::NonDisponible))
            }));
            l
        })
        .collect();
    Ok(Tableau {
        titre: format!("Par mission locale, {annee}"),
        entetes,
        lignes,
    })
}

/// Sentences on the missions locales, as the deck words them.
pub fn messages_ml(
    index: &Index,
    ml: &MissionsLocalesCalculees,
    reglages: &Reglages,
) -> Vec<String> {
    let dep = reglages.conseil.departement.as_str();
    let an = ml.annee;
    let y = an.to_string();
    let v = |p: &str, ind: &str, mes: &str| index.valeur_en(p, niveaux::DEPARTEMENT, dep, ind, mes);
    let mut phrases = Vec::new();
    for ind in &ml.indicateurs {
        let Some(x) = v(&y, ind, mesures::EFFECTIF) else {
            continue;
        };
        let qpv_part = match v(&y, &qpv(ind), mesures::PART) {
            Some(p) => format!(", dont {} résidant en QPV", format::pourcentage(p)),
            None => " (données QPV non disponibles)".to_string(),
        };
        phrases.push(match *ind {
            "jeunes_accompagnes" => format!(
                "{} jeunes accompagnés par les missions locales en {an}{qpv_part}.",
                format::effectif(x)
            ),
            autre => format!(
                "{} : {} en {an}{qpv_part}.",
                libelle_ml(autre),
                format::effectif(x)
            ),
        });
    }
    let suivante = (an + 1).to_string();
    let objectifs: Vec<String> = ml
        .indicateurs
        .iter()
        .filter_map(|ind| {
            v(&suivante, ind, mesures::OBJECTIF)
                .map(|o| format!("{}, {} entrées", nom_court_ml(ind), format::effectif(o)))
        })
        .collect();
    if !objectifs.is_empty() {
        phrases.push(format!("Objectifs {} : {}.", an + 1, objectifs.join(" ; ")));
    }
    phrases
}

fn vague(v: &str) -> String {
    match v {
        "" => String::new(),
        "1" => "1re vague".to_string(),
        n if n.chars().all(|c| c.is_ascii_digit()) => format!("{n}e vague"),
        autre => autre.to_string(),
    }
}

fn statut_dossier(s: &str, n: usize) -> String {
    let pluriel = if n > 1 { "s" } else { "" };
    match s {
        "retenu" => format!("{n} retenu{pluriel}"),
        "en_instruction" => format!("{n} en instruction"),
        "arbitrage_en_cours" => format!("{n} en arbitrage"),
        "refuse" => format!("{n} refusé{pluriel}"),
        autre => format!("{n} {autre}"),
    }
}

/// "DSIL relance, 1re vague", or the dispositif alone.
pub fn titre_dispositif(dispositif: &str, v: &str) -> String {
    match vague(v).as_str() {
        "" => dispositif.to_string(),
        w => format!("{dispositif}, {w}"),
    }
}

/// A dossier's status in words: "retenu", "en instruction"…
pub fn libelle_statut(s: &str) -> String {
    statut_dossier(s, 1).trim_start_matches("1 ").to_string()
}

/// The (dispositif, wave) pairs of the dossiers, in register order.
fn groupes(dossiers: &[Dossier]) -> Vec<(String, String)> {
    let mut groupes: Vec<(String, String)> = Vec::new();
    for d in dossiers {
        let cle = (d.dispositif.clone(), d.vague.clone());
        if !groupes.contains(&cle) {
            groupes.push(cle);
        }
    }
    groupes
}

/// The amount of `dossiers`, or that it is not available.
fn montant_des(dossiers: &[&Dossier]) -> String {
    dossiers
        .iter()
        .map(|d| d.montant)
        .sum::<Option<f64>>()
        .map(format::montant_court)
        .unwrap_or_else(|| "montant non disponible".to_string())
}

/// What was granted first, then what is under instruction, in
/// arbitration, refused: "2,8 M€ pour 4 dossiers retenus ; 3,1 M€ en
/// instruction (3 dossiers)"; amounts not available say so.
fn resume(dossiers: &[&Dossier]) -> String {
    let du = |statut: &str| -> Vec<&Dossier> {
        dossiers
            .iter()
            .copied()
            .filter(|d| d.statut == statut)
            .collect()
    };
    let retenus = du("retenu");
    let mut parties = vec![clause_retenus(&retenus)];
    parties.extend(autres_statuts(dossiers));
    parties.join(" ; ")
}

/// "2,8 M€ pour 4 dossiers retenus", "aucun dossier retenu".
fn clause_retenus(retenus: &[&Dossier]) -> String {
    let n = retenus.len();
    let s = if n > 1 { "s" } else { "" };
    match n {
        0 => "aucun dossier retenu".to_string(),
        _ => format!("{} pour {n} dossier{s} retenu{s}", montant_des(retenus)),
    }
}

/// The dossiers not retained, status by status, with their quantities:
/// "2,6 M€ en instruction (2 dossiers)", "37 dossiers refusés".
fn autres_statuts(dossiers: &[&Dossier]) -> Vec<String> {
    crate::modele::STATUTS_DOSSIER[1..]
        .iter()
        .filter_map(|statut| {
            let du: Vec<&Dossier> = dossiers
                .iter()
                .copied()
                .filter(|d| d.statut == *statut)
                .collect();
            let n = du.len();
            let s = if n > 1 { "s" } else { "" };
            let quantites = quantites(&du);
            Some(match *statut {
                _ if n == 0 => return None,
                "refuse" => format!("{n} dossier{s} refusé{s}{quantites}"),
                st => format!(
                    "{} {} ({n} dossier{s}{quantites})",
                    montant_des(&du),
                    libelle_statut(st)
                ),
            })
        })
        .collect()
}

/// The deck's table: for each dispositif and wave, the département's total
/// and what went to (or near) its QPV, with the projects named.
pub fn financements(dossiers: &[Dossier], reglages: &Reglages) -> Tableau {
    let groupes = groupes(dossiers);
    let colonne_qpv = match &reglages.documents.adjectif {
        Some(a) => format!("QPV {}", format::pluriel(a)),
        None => "QPV du département".to_string(),
    };
    let lignes = groupes
        .iter()
        .map(|(dispositif, v)| {
            let du_groupe: Vec<&Dossier> = dossiers
                .iter()
                .filter(|d| &d.dispositif == dispositif && &d.vague == v)
                .collect();
            let ou = |loc: &str| {
                du_groupe
                    .iter()
                    .copied()
                    .filter(|d| d.localisation == loc)
                    .collect::<Vec<_>>()
            };
            let projets = |liste: &[&Dossier]| {
                let liste: Vec<Dossier> = liste.iter().map(|d| (*d).clone()).collect();
                projets(&liste)
                    .iter()
                    .map(|p| {
                        let d = p[0];
                        format!(
                            "{} à {}{}",
                            if d.intitule.is_empty() {
                                &d.porteur
                            } else {
                                &d.intitule
                            },
                            d.commune,
                            precisions_du_projet(p)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ; ")
            };
            let (en_qpv, proches) = (ou("qpv"), ou("proximite_qpv"));
            let mut qpv_txt = Vec::new();
            if !en_qpv.is_empty() {
                qpv_txt.push(format!(
                    "En QPV : {} — {}",
                    resume(&en_qpv),
                    projets(&en_qpv)
                ));
            }
            if !proches.is_empty() {
                qpv_txt.push(format!(
                    "À proximité d'un QPV : {} — {}",
                    resume(&proches),
                    projets(&proches)
                ));
            }
            let titre = titre_dispositif(dispositif, v);
            vec![
                Cellule::Texte(titre),
                Cellule::Texte(resume(&du_groupe)),
                Cellule::Texte(if qpv_txt.is_empty() {
                    "–".to_string()
                } else {
                    qpv_txt.join("\n")
                }),
            ]
        })
        .collect();
    Tableau {
        titre: format!(
            "{} : projets financés dans le département et ses QPV",
            titre_des_financements(dossiers)
        ),
        entetes: vec![
            "Dotation".to_string(),
            reglages.conseil.nom_departement.clone(),
            colonne_qpv,
        ],
        lignes,
    }
}

pub fn libelle_localisation(l: &str) -> &'static str {
    match l {
        "qpv" => "En QPV",
        "proximite_qpv" => "À proximité d'un QPV",
        _ => "Hors QPV",
    }
}

/// Where a dossier is, its QPV named: "À proximité du QPV « Les
/// Agnettes »", "En QPV « Le Parc »", "Hors QPV".
pub fn localisation_du_dossier(d: &Dossier) -> String {
    match (d.localisation.as_str(), d.nom_qpv.is_empty()) {
        ("qpv", false) => format!("En QPV « {} »", d.nom_qpv),
        ("proximite_qpv", false) => format!("À proximité du QPV « {} »", d.nom_qpv),
        (l, _) => libelle_localisation(l).to_string(),
    }
}

/// The retained dossiers in or near a QPV, the QPV named (the deck's
/// industry table: Entreprise / Ville / Localisation).
pub fn pres_des_qpv(dossiers: &[Dossier]) -> Tableau {
    Tableau {
        titre: "Projets retenus en QPV ou à proximité".to_string(),
        entetes: [
            "Dispositif",
            "Porteur",
            "Projet",
            "Ville",
            "Localisation",
            "Montant",
        ]
        .map(String::from)
        .to_vec(),
        // One row per project: a grant and a loan together, each amount
        // with its nature (their sum is not a published figure).
        lignes: projets(dossiers)
            .into_iter()
            .filter(|p| p[0].statut == "retenu" && p[0].localisation != "hors_qpv")
            .map(|p| {
                let d = p[0];
                let montant = match p.as_slice() {
                    [seul] => seul
                        .montant
                        .map(Cellule::Montant)
                        .unwrap_or(Cellule::ManquantEnClair(Statut::NonDisponible)),
                    plusieurs => Cellule::Texte(
                        plusieurs
                            .iter()
                            .map(|x| {
                                let m = x
                                    .montant
                                    .map(format::montant)
                                    .unwrap_or_else(|| "non disponible".to_string());
                                match x.nature.as_str() {
                                    "pret" => format!("prêt {m}"),
                                    n => format!("{n} {m}"),
                                }
                            })
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                };
                vec![
                    Cellule::Texte(titre_dispositif(&d.dispositif, &d.vague)),
                    Cellule::Texte(d.porteur.clone()),
                    Cellule::Texte(format!("{}{}", d.intitule, precisions_du_projet(&p))),
                    Cellule::Texte(d.commune.clone()),
                    Cellule::Texte(localisation_du_dossier(d)),
                    montant,
                ]
            })
            .collect(),
    }
}

/// Every dossier, with its exact amount.
pub fn liste_dossiers(dossiers: &[Dossier]) -> Tableau {
    // Where the registers give natures: one row per project, its grant
    // and its loan side by side.
    let natures = dossiers.iter().any(|d| !d.nature.is_empty());
    let mut entetes: Vec<String> = [
        "Dispositif",
        "Vague",
        "Porteur",
        "Projet",
        "Commune",
        "QPV",
        "Localisation",
        "Statut",
    ]
    .map(String::from)
    .to_vec();
    if natures {
        entetes.extend(["Subvention".to_string(), "Prêt".to_string()]);
    }
    entetes.push("Montant".to_string());
    let montant = |d: &Dossier| {
        d.montant
            .map(Cellule::Montant)
            .unwrap_or(Cellule::ManquantEnClair(Statut::NonDisponible))
    };
    let lignes = projets(dossiers)
        .into_iter()
        .map(|projet| {
            let d = projet[0];
            let mut l = vec![
                Cellule::Texte(d.dispositif.clone()),
                Cellule::Texte(vague(&d.vague)),
                Cellule::Texte(d.porteur.clone()),
                Cellule::Texte(d.intitule.clone()),
                Cellule::Texte(d.commune.clone()),
                Cellule::Texte(d.code_qpv.clone()),
                Cellule::Texte(localisation_du_dossier(d)),
                Cellule::Texte(libelle_statut(&d.statut)),
            ];
            if natures {
                for nature in ["subvention", "pret"] {
                    let de = projet.iter().find(|x| x.nature == nature);
                    l.push(de.map_or(Cellule::SansObjet, |x| montant(x)));
                }
            }
            // The amount of a dossier without nature (a project with a
            // grant and a loan has them in their columns: their sum is not
            // a published figure).
            l.push(if d.nature.is_empty() {
                montant(d)
            } else {
                Cellule::SansObjet
            });
            l
        })
        .collect();
    Tableau {
        titre: "Dossiers".to_string(),
        entetes,
        lignes,
    }
}

/// The dossiers by project, in register order: a project's grant and
/// loan (same dispositif, wave, holder, title, commune, QPV and status, one
/// dossier of each nature) together; every other dossier alone.
pub fn projets(dossiers: &[Dossier]) -> Vec<Vec<&Dossier>> {
    let cle = |d: &Dossier| {
        (
            d.dispositif.clone(),
            d.vague.clone(),
            d.porteur.clone(),
            d.intitule.clone(),
            d.code_commune.clone(),
            d.code_qpv.clone(),
            d.statut.clone(),
        )
    };
    let mut projets: Vec<Vec<&Dossier>> = Vec::new();
    for d in dossiers {
        let avec = projets.iter_mut().find(|p| {
            !d.nature.is_empty()
                && cle(p[0]) == cle(d)
                && p.iter()
                    .all(|x| !x.nature.is_empty() && x.nature != d.nature)
        });
        match avec {
            Some(p) => p.push(d),
            None => projets.push(vec![d]),
        }
    }
    projets
}

/// What a project's name in a list needs beside it: its natures (a
/// grant, a loan, both, when the register says) and its status when it
/// is not retained: " (prêt)", " (refusé)", " (subvention et prêt)".
fn precisions_du_projet(projet: &[&Dossier]) -> String {
    let natures: Vec<&str> = projet
        .iter()
        .filter_map(|d| match d.nature.as_str() {
            "subvention" => Some("subvention"),
            "pret" => Some("prêt"),
            _ => None,
        })
        .collect();
    let mut p = Vec::new();
    if !natures.is_empty() {
        p.push(natures.join(" et "));
    }
    if projet[0].statut != "retenu" {
        p.push(libelle_statut(&projet[0].statut));
    }
    if p.is_empty() {
        String::new()
    } else {
        format!(" ({})", p.join(", "))
    }
}

/// What the registers' optional columns say of a group of dossiers: ",
/// dont 142,3 M€ de subventions et 78,0 M€ de prêts, pour un coût total de
/// 840,0 M€, 355 logements" (each part only when given).
fn complements_du_groupe(dossiers: &[&Dossier]) -> String {
    let somme = |nature: &str| -> Option<f64> {
        let de: Vec<&&Dossier> = dossiers.iter().filter(|d| d.nature == nature).collect();
        (!de.is_empty()).then(|| de.iter().filter_map(|d| d.montant).sum())
    };
    let mut texte = String::new();
    match (somme("subvention"), somme("pret")) {
        (Some(s), Some(p)) => texte.push_str(&format!(
            ", dont {} de subventions et {} de prêts",
            format::montant_court(s),
            format::montant_court(p)
        )),
        (Some(s), None) => {
            texte.push_str(&format!(", en subventions ({})", format::montant_court(s)))
        }
        (None, Some(p)) => texte.push_str(&format!(", en prêts ({})", format::montant_court(p))),
        (None, None) => {}
    }
    let couts: Vec<f64> = dossiers.iter().filter_map(|d| d.cout_total).collect();
    if !couts.is_empty() {
        let total: f64 = couts.iter().sum();
        texte.push_str(&format!(
            ", pour un coût total de {}",
            format::montant_court(total)
        ));
    }
    texte.push_str(&quantites(dossiers));
    texte
}

/// The quantities of `dossiers`, unit by unit: ", 355 logements".
fn quantites(dossiers: &[&Dossier]) -> String {
    let mut unites: Vec<&str> = Vec::new();
    for d in dossiers {
        if let Some((_, u)) = &d.quantite {
            if !unites.contains(&u.as_str()) {
                unites.push(u);
            }
        }
    }
    let mut texte = String::new();
    for u in unites {
        let q: f64 = dossiers
            .iter()
            .filter_map(|d| d.quantite.as_ref().filter(|(_, x)| x == u).map(|(q, _)| *q))
            .sum();
        texte.push_str(&format!(
            ", {} {u}",
            format::nombre(q, if q.fract() == 0.0 { 0 } else { 1 })
        ));
    }
    texte
}

/// The programmes of the registers, in their order ("Plan de relance",
/// "Renouvellement urbain"); "" for dossiers that name none.
pub fn programmes(dossiers: &[Dossier]) -> Vec<String> {
    let mut p: Vec<String> = Vec::new();
    for d in dossiers {
        if !p.contains(&d.programme) {
            p.push(d.programme.clone());
        }
    }
    p
}

/// The funding section's heading, from the registers: their programme
/// when they name one only, else "Financements".
pub fn titre_des_financements(dossiers: &[Dossier]) -> String {
    match programmes(dossiers).as_slice() {
        [seul] if !seul.is_empty() => seul.clone(),
        _ => "Financements".to_string(),
    }
}

/// The key sentences on funding, programme by programme (heading, its
/// sentences; no heading when the registers name no programme).
pub fn messages_par_programme(
    dossiers: &[Dossier],
    enveloppes: &[Enveloppe],
) -> Vec<(String, Vec<String>)> {
    programmes(dossiers)
        .into_iter()
        .map(|p| {
            let siens: Vec<Dossier> = dossiers
                .iter()
                .filter(|d| d.programme == p)
                .cloned()
                .collect();
            (p, messages_financements(&siens, enveloppes))
        })
        .collect()
}

/// Key sentences on funding: the département's total by dispositif and
/// wave, and what went to QPV.
pub fn messages_financements(dossiers: &[Dossier], enveloppes: &[Enveloppe]) -> Vec<String> {
    let groupes = groupes(dossiers);
    groupes
        .iter()
        .map(|(disp, v)| {
            let tous: Vec<&Dossier> = dossiers
                .iter()
                .filter(|d| &d.dispositif == disp && &d.vague == v)
                .collect();
            let en_qpv: Vec<&Dossier> = tous
                .iter()
                .copied()
                .filter(|d| d.localisation == "qpv")
                .collect();
            let titre = titre_dispositif(disp, v);
            let pluriel = |n: usize| if n > 1 { "s" } else { "" };
            // What was granted first ("53 projets déposés, 16 retenus"
            // when some were refused), then the other statuses; the
            // amounts by nature, costs and quantities of the granted.
            let retenus: Vec<&Dossier> = tous.iter().copied().filter(|d| d.statut == "retenu").collect();
            let refuses = tous.iter().any(|d| d.statut == "refuse");
            let mut phrase = if refuses {
                format!(
                    "{titre} : {} dossier{} déposé{} dans le département, {} retenu{} pour {}",
                    tous.len(),
                    pluriel(tous.len()),
                    pluriel(tous.len()),
                    retenus.len(),
                    pluriel(retenus.len()),
                    montant_des(&retenus)
                )
            } else {
                format!("{titre} : {} dans le département", clause_retenus(&retenus))
            };
            if let Some(m) = enveloppes
                .iter()
                .find(|e| &e.dispositif == disp && &e.vague == v)
                .and_then(|e| e.montant)
            {
                phrase.push_str(&format!(" (enveloppe de {})", format::montant_court(m)));
            }
            phrase.push_str(&complements_du_groupe(&retenus));
            let en_qpv: Vec<&Dossier> = en_qpv.into_iter().filter(|d| d.statut == "retenu").collect();
            if let (false, Some(q)) = (
                en_qpv.is_empty(),
                en_qpv.iter().map(|d| d.montant).sum::<Option<f64>>(),
            ) {
                phrase.push_str(&format!(
                    ", dont {} pour {} en QPV",
                    format::montant_court(q),
                    en_qpv.len()
                ));
            }
            // Near a QPV: how many in a commune that has one, and of them
            // how many close to one.
            let proches = retenus.iter().filter(|d| d.localisation == "proximite_qpv").count();
            if proches > 0 {
                let en_commune = retenus.iter().filter(|d| d.commune_qpv).count();
                phrase.push_str(&format!(
                    " ; {en_commune} dans une commune ayant un QPV, dont {proches} à proximité d'un QPV"
                ));
            }
            let autres: Vec<String> = autres_statuts(&tous)
                .into_iter()
                .filter(|a| !a.contains("refusé"))
                .collect();
            if !autres.is_empty() {
                phrase.push_str(&format!(" ; {}", autres.join(" ; ")));
            }
            phrase.push('.');
            phrase
        })
        .collect()
}

/// The département's demand, whole and in QPV, quarter by quarter.
pub fn serie(indicateurs: &Indicateurs, reglages: &Reglages) -> PolarsResult<Tableau> {
    let s = &indicateurs.serie_departement;
    let (periodes, inds) = (s.column(PERIODE)?.i32()?, s.column(INDICATEUR)?.str()?);
    let (valeurs, statuts) = (s.column(VALEUR)?.f64()?, s.column(STATUT)?.u32()?);
    let mut lignes: Vec<(i32, Cellule, Cellule)> = Vec::new();
    for i in 0..s.height() {
        let p = periodes.get(i).unwrap_or(0);
        let cellule = match (valeurs.get(i), Statut::de_la_case(statuts.get(i))) {
            (Some(v), Statut::Valeur) => Cellule::Effectif(v),
            (_, st) => Cellule::Manquant(st),
        };
        if lignes.last().map(|l| l.0) != Some(p) {
            lignes.push((
                p,
                Cellule::Manquant(Statut::NonDisponible),
                Cellule::Manquant(Statut::NonDisponible),
            ));
        }
        if let Some(l) = lignes.last_mut() {
            if inds.get(i) == Some(DE_ABC) {
                l.1 = cellule;
            } else {
                l.2 = cellule;
            }
        }
    }
    Ok(Tableau {
        titre: "Demande d'emploi trimestre par trimestre".to_string(),
        entetes: vec![
            "Trimestre".to_string(),
            format!("Demande d'emploi {}", dans_le_departement(reglages)),
            "Demande d'emploi en QPV".to_string(),
        ],
        lignes: lignes
            .into_iter()
            .map(|(p, d, q)| {
                vec![
                    Cellule::Texte(crate::modele::Periode::depuis_index(p).libelle_long()),
                    d,
                    q,
                ]
            })
            .collect(),
    })
}

/// The key figures this sheet and section set against the previous annex.
const CHIFFRES_CLES: [(&str, &str, &str); 4] = [
    (
        DE_ABC,
        mesures::EFFECTIF,
        "Demandeurs d'emploi du département",
    ),
    (
        "de_abc_qpv",
        mesures::EFFECTIF,
        "Demandeurs d'emploi résidant en QPV",
    ),
    (
        "de_abc_qpv",
        mesures::PART,
        "Part des demandeurs d'emploi résidant en QPV",
    ),
    (
        "de_abc_longue_duree_qpv",
        mesures::PART,
        "Part de la demande de longue durée en QPV",
    ),
];

/// "Évolutions depuis le trimestre précédent": this annex's key figures
/// against the previous published annex's, then the figures of that
/// quarter the producer has revised since (the previous annex's value
/// against this annex's series). None without a previous annex.
pub fn depuis_le_precedent(
    index: &Index,
    indicateurs: &Indicateurs,
    reglages: &Reglages,
) -> PolarsResult<Option<[Tableau; 2]>> {
    let Some(a) = &indicateurs.annexe_precedente else {
        return Ok(None);
    };
    let dep = reglages.conseil.departement.as_str();
    let (avant, maintenant) = (a.periode.to_string(), reglages.conseil.periode);
    let cles = CHIFFRES_CLES
        .iter()
        .map(|(ind, mes, libelle)| {
            let precedent = a.chiffre(&avant, ind, mes);
            let actuel = index.valeur(niveaux::DEPARTEMENT, dep, ind, mes);
            let ecart = match (precedent.and_then(|c| c.valeur), actuel, *mes) {
                (Some(p), Some(x), mesures::PART) => Cellule::Texte(format!(
                    "{}{} pt",
                    if x >= p { "+" } else { "" },
                    format::nombre((x - p) * 100.0, 1)
                )),
                (Some(p), Some(x), _) if p != 0.0 => Cellule::Evolution((x - p) / p),
                _ => Cellule::Manquant(Statut::NonDisponible),
            };
            vec![
                Cellule::Texte(libelle.to_string()),
                cellule_publiee(precedent, mes),
                index.cellule(niveaux::DEPARTEMENT, dep, ind, mes),
                ecart,
            ]
        })
        .collect();
    let revisions = revisions_du_precedent(indicateurs, a)?;
    Ok(Some([
        Tableau {
            titre: format!(
                "Chiffres clés : annexe du {} et annexe du {}",
                a.periode.libelle_long(),
                maintenant.libelle_long()
            ),
            entetes: vec![
                "Chiffre clé".to_string(),
                format!("Publié pour le {}", a.periode.libelle_long()),
                maintenant.libelle_long(),
                "Écart".to_string(),
            ],
            lignes: cles,
        },
        Tableau {
            titre: format!(
                "Chiffres du {} révisés par le producteur depuis l'annexe précédente",
                a.periode.libelle_long()
            ),
            entetes: vec![
                "Chiffre".to_string(),
                "Publié dans l'annexe précédente".to_string(),
                "Révisé".to_string(),
            ],
            lignes: revisions,
        },
    ]))
}

/// A figure of the previous annex as a cell.
fn cellule_publiee(c: Option<&ChiffrePrecedent>, mesure: &str) -> Cellule {
    match c {
        Some(c) => match (c.valeur, c.statut, mesure) {
            (Some(v), Statut::Valeur, mesures::PART) => Cellule::Part(v),
            (Some(v), Statut::Valeur, _) => Cellule::Effectif(v),
            (_, statut, _) => Cellule::Manquant(statut),
        },
        None => Cellule::Manquant(Statut::NonDisponible),
    }
}

/// The previous quarter's counts (the département's demand, whole and in
/// QPV) that this annex's series gives differently; one row saying so when
/// none was revised.
fn revisions_du_precedent(
    indicateurs: &Indicateurs,
    a: &AnnexePrecedente,
) -> PolarsResult<Vec<Vec<Cellule>>> {
    let s = &indicateurs.serie_departement;
    let (p, ind) = (s.column(PERIODE)?.i32()?, s.column(INDICATEUR)?.str()?);
    let (v, st) = (s.column(VALEUR)?.f64()?, s.column(STATUT)?.u32()?);
    let mut lignes = Vec::new();
    // The key counts; the shares follow from them.
    for (indicateur, _, libelle) in CHIFFRES_CLES
        .iter()
        .filter(|(_, mesure, _)| *mesure == mesures::EFFECTIF)
    {
        let Some(i) = (0..s.height())
            .find(|&i| p.get(i) == Some(a.periode.index()) && ind.get(i) == Some(*indicateur))
        else {
            continue;
        };
        let precedent = a.chiffre(&a.periode.to_string(), indicateur, mesures::EFFECTIF);
        let revise = match Statut::de_la_case(st.get(i)) {
            Statut::Valeur => v.get(i),
            _ => None,
        };
        if precedent.and_then(|c| c.valeur) != revise && precedent.is_some() {
            lignes.push(vec![
                Cellule::Texte(libelle.to_string()),
                cellule_publiee(precedent, mesures::EFFECTIF),
                revise.map_or(
                    Cellule::Manquant(Statut::de_la_case(st.get(i))),
                    Cellule::Effectif,
                ),
            ]);
        }
    }
    if lignes.is_empty() {
        lignes.push(vec![
            Cellule::Texte("Aucun chiffre révisé".to_string()),
            Cellule::SansObjet,
            Cellule::SansObjet,
        ]);
    }
    Ok(lignes)
}
