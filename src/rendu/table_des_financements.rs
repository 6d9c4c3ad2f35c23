//! The funding figures as numbers a reader can filter and sum: one row per
//! dispositif × vague × localisation × dossier status of `indicateurs.csv`
//! at the département's level, with its margins (every localisation,
//! every status), the dossiers counted and the amount, in all and in the
//! communes that have a QPV; then each dispositif's amounts by nature
//! (grants, loans), quantities, total costs and envelopes. Read from the
//! published table itself, so that the workbook and `indicateurs.csv`
//! give the same figures.

use std::collections::HashMap;

use polars::prelude::*;

use super::tableaux::{libelle_localisation, libelle_statut, Cellule, Tableau};
use crate::indicateurs::financements::{ENVELOPPE, FINANCEMENTS_COMMUNE_QPV};
use crate::indicateurs::Indicateurs;
use crate::modele::colonnes::*;
use crate::modele::{mesures, niveaux, textes, Periode, Statut, LOCALISATIONS, STATUTS_DOSSIER};

/// The funding rows `indicateurs.csv` publishes for the département and
/// its reference quarter, margins included.
fn lignes(
    indicateurs: &Indicateurs,
    departement: &str,
    periode: Periode,
) -> PolarsResult<DataFrame> {
    indicateurs
        .a_publier(departement, periode)?
        .lazy()
        .filter(
            col(DISPOSITIF)
                .is_not_null()
                .and(col(NIVEAU).eq(lit(niveaux::DEPARTEMENT)))
                .and(col(CODE).eq(lit(departement.to_string())))
                .and(col(PERIODE).eq(lit(periode.to_string()))),
        )
        .collect()
}

/// A figure of the table as a cell: a count, an amount, or its sign.
fn cellule(valeur: Option<f64>, statut: Statut, montant: bool) -> Cellule {
    match (valeur, statut) {
        (Some(v), Statut::Valeur) if montant => Cellule::Montant(v),
        (Some(v), Statut::Valeur) => Cellule::Effectif(v),
        (_, s) => Cellule::Manquant(s),
    }
}

/// (dispositif, vague, localisation, statut) of a row.
type Cle = (String, String, String, String);

/// One row per dispositif, vague, localisation and status, margins
/// included: dossiers and amounts, in all and in the communes with a QPV.
pub fn par_statut(
    indicateurs: &Indicateurs,
    departement: &str,
    periode: Periode,
) -> PolarsResult<Tableau> {
    let t = lignes(indicateurs, departement, periode)?;
    let texte = |c: &str| textes(&t, c);
    let (disp, vag, loc, st, ind, mes) = (
        texte(DISPOSITIF)?,
        texte(VAGUE)?,
        texte(LOCALISATION)?,
        texte(STATUT_DOSSIER)?,
        texte(INDICATEUR)?,
        texte(MESURE)?,
    );
    let (val, statut) = (t.column(VALEUR)?.f64()?, t.column(STATUT)?.u32()?);
    let mut ordre: Vec<Cle> = Vec::new();
    let mut valeurs: HashMap<(Cle, String, String), Cellule> = HashMap::new();
    for i in 0..t.height() {
        if ind[i] != "financements" && ind[i] != FINANCEMENTS_COMMUNE_QPV {
            continue;
        }
        let cle = (
            disp[i].clone(),
            vag[i].clone(),
            loc[i].clone(),
            st[i].clone(),
        );
        if ind[i] == "financements" && !ordre.contains(&cle) {
            ordre.push(cle.clone());
        }
        let c = cellule(
            val.get(i),
            Statut::de_la_case(statut.get(i)),
            mes[i] == mesures::MONTANT_EUR,
        );
        valeurs.insert((cle, ind[i].clone(), mes[i].clone()), c);
    }
    // Each dispositif and wave in the registers' order (as the PDF), its
    // total first,
    // then by status, then each localisation (all statuses, then each).
    let registres = indicateurs.dossiers.iter().flatten();
    let groupes = registres
        .map(|d| (d.dispositif.clone(), d.vague.clone()))
        .chain(ordre.iter().map(|c| (c.0.clone(), c.1.clone())));
    let premiers: Vec<(String, String)> = groupes.fold(Vec::new(), |mut v, g| {
        if !v.contains(&g) {
            v.push(g);
        }
        v
    });
    let rang = |liste: &[&str], x: &str| {
        if x.is_empty() {
            0
        } else {
            1 + liste.iter().position(|y| *y == x).unwrap_or(liste.len())
        }
    };
    ordre.sort_by_key(|(d, v, l, s)| {
        (
            premiers.iter().position(|p| p.0 == *d && p.1 == *v),
            rang(&LOCALISATIONS, l),
            rang(&STATUTS_DOSSIER, s),
        )
    });
    let lignes = ordre
        .iter()
        .map(|cle| {
            let (d, v, l, s) = cle;
            let mut ligne = vec![
                Cellule::Texte(d.clone()),
                Cellule::Texte(v.clone()),
                Cellule::Texte(if l.is_empty() {
                    "Toutes localisations".to_string()
                } else {
                    libelle_localisation(l).to_string()
                }),
                Cellule::Texte(if s.is_empty() {
                    "Tous statuts".to_string()
                } else {
                    libelle_statut(s)
                }),
            ];
            for ind in ["financements", FINANCEMENTS_COMMUNE_QPV] {
                for mes in [mesures::NB_DOSSIERS, mesures::MONTANT_EUR] {
                    let zero = if mes == mesures::MONTANT_EUR {
                        Cellule::Montant(0.0)
                    } else {
                        Cellule::Effectif(0.0)
                    };
                    // No dossier of the group in a commune with a QPV: 0.
                    ligne.push(
                        valeurs
                            .get(&(cle.clone(), ind.to_string(), mes.to_string()))
                            .cloned()
                            .unwrap_or(zero),
                    );
                }
            }
            ligne
        })
        .collect();
    Ok(Tableau {
        titre: "Financements par dispositif, vague, localisation et statut".to_string(),
        entetes: [
            "Dispositif",
            "Vague",
            "Localisation",
            "Statut du dossier",
            "Dossiers",
            "Montant",
            "Dossiers dans une commune ayant un QPV",
            "Montant dans une commune ayant un QPV",
        ]
        .map(String::from)
        .to_vec(),
        lignes,
    })
}

/// Each dispositif's amounts by nature, quantities, total costs and
/// envelopes, as numbers; `None` when the registers give none.
pub fn complements(
    indicateurs: &Indicateurs,
    departement: &str,
    periode: Periode,
) -> PolarsResult<Option<Tableau>> {
    let t = lignes(indicateurs, departement, periode)?;
    let texte = |c: &str| textes(&t, c);
    let (disp, vag, cat, ind, mes) = (
        texte(DISPOSITIF)?,
        texte(VAGUE)?,
        texte(CATEGORIE)?,
        texte(INDICATEUR)?,
        texte(MESURE)?,
    );
    let st = texte(STATUT_DOSSIER)?;
    let (val, statut) = (t.column(VALEUR)?.f64()?, t.column(STATUT)?.u32()?);
    let lignes: Vec<Vec<Cellule>> = (0..t.height())
        .filter_map(|i| {
            let quoi = match (ind[i].as_str(), cat[i].as_str()) {
                ("financements_par_nature", "subvention") => "Subventions".to_string(),
                ("financements_par_nature", "pret") => "Prêts".to_string(),
                ("financements_par_nature", autre) => format!("Nature : {autre}"),
                ("financements_quantite", unite) => format!("Quantité ({unite})"),
                ("financements_cout_total", _) => "Coût total des projets".to_string(),
                (ENVELOPPE, _) => "Enveloppe".to_string(),
                _ => return None,
            };
            Some(vec![
                Cellule::Texte(disp[i].clone()),
                Cellule::Texte(vag[i].clone()),
                Cellule::Texte(quoi),
                Cellule::Texte(if st[i].is_empty() {
                    "Tous statuts".to_string()
                } else {
                    libelle_statut(&st[i])
                }),
                cellule(
                    val.get(i),
                    Statut::de_la_case(statut.get(i)),
                    mes[i] == mesures::MONTANT_EUR,
                ),
            ])
        })
        .collect();
    Ok((!lignes.is_empty()).then(|| Tableau {
        titre: "Subventions et prêts, quantités, coûts et enveloppes".to_string(),
        entetes: [
            "Dispositif",
            "Vague",
            "Chiffre",
            "Statut du dossier",
            "Valeur",
        ]
        .map(String::from)
        .to_vec(),
        lignes,
    }))
}
