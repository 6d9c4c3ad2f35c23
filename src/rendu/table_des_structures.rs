//! Structures and labels as the deck gives them ("11 MSP ouvertes dont 5
//! situées dans des communes détenant des QPV"): one sentence per type,
//! the counts by type and status, the list (a commune's own in its
//! documents), from `indicateurs::StructuresCalculees`.

use std::collections::HashMap;

use polars::prelude::*;

use super::tableaux::{libelle_localisation, Cellule, Tableau};
use crate::indicateurs::structures::indicateur;
use crate::indicateurs::StructuresCalculees;
use crate::modele::colonnes::*;
use crate::modele::{niveaux, textes, STATUTS_STRUCTURE};

/// "labellisé", "en projet"…
fn libelle_statut(s: &str) -> &'static str {
    match s {
        "ouvert" => "ouvert",
        "labellise" => "labellisé",
        "en_projet" => "en projet",
        "ferme" => "fermé",
        _ => "",
    }
}

/// (type, indicator, localisation or year) → number.
type Comptes = HashMap<(String, String, String), f64>;

/// The département's counts: (type, indicator, localisation) → number,
/// and the types in the files' order.
fn departement(s: &StructuresCalculees) -> PolarsResult<(Vec<String>, Comptes)> {
    let c = &s.comptes;
    let (niv, typ, ind, loc) = (
        textes(c, NIVEAU)?,
        textes(c, DISPOSITIF)?,
        textes(c, INDICATEUR)?,
        textes(c, LOCALISATION)?,
    );
    let valeurs = c.column(VALEUR)?.f64()?;
    let periodes = textes(c, PERIODE)?;
    let mut comptes = HashMap::new();
    for i in (0..c.height()).filter(|&i| niv[i] == niveaux::DEPARTEMENT) {
        if let Some(v) = valeurs.get(i) {
            // A count by year is keyed by its year, where the localisation
            // of the others is: "2020".
            let detail = match periodes[i].len() {
                4 => periodes[i].clone(),
                _ => loc[i].clone(),
            };
            comptes.insert((typ[i].clone(), ind[i].clone(), detail), v);
        }
    }
    let mut types: Vec<String> = Vec::new();
    for t in textes(&s.liste, "type")? {
        if !types.contains(&t) {
            types.push(t);
        }
    }
    Ok((types, comptes))
}

/// One sentence per type: "Maisons de santé pluriprofessionnelles —
/// ouvert : 11, dont 5 dans une commune ayant un QPV, dont 1 en QPV ; en
/// projet : 4, dont 2 dans une commune ayant un QPV."
pub fn phrases(s: &StructuresCalculees) -> PolarsResult<Vec<String>> {
    let (types, comptes) = departement(s)?;
    let mut annees: Vec<String> = comptes
        .keys()
        .filter(|(_, _, d)| d.len() == 4)
        .map(|(_, _, d)| d.clone())
        .collect();
    annees.sort();
    annees.dedup();
    let nombre =
        |t: &str, i: String, l: &str| comptes.get(&(t.to_string(), i, l.to_string())).copied();
    let effectif = |x: f64| crate::format::effectif(x);
    Ok(types
        .iter()
        .map(|t| {
            let clauses: Vec<String> = STATUTS_STRUCTURE
                .iter()
                .filter_map(|st| {
                    let n = nombre(t, indicateur(st, false), "")?;
                    let mut c = format!("{} : {}", libelle_statut(st), effectif(n));
                    if let Some(q) = nombre(t, indicateur(st, true), "").filter(|q| *q > 0.0) {
                        c.push_str(&format!(
                            ", dont {} dans une commune ayant un QPV",
                            effectif(q)
                        ));
                    }
                    for (loc, dit) in [("qpv", "en QPV"), ("proximite_qpv", "à proximité d'un QPV")]
                    {
                        if let Some(q) = nombre(t, indicateur(st, false), loc) {
                            c.push_str(&format!(", {} {dit}", effectif(q)));
                        }
                    }
                    let annees: Vec<String> = annees
                        .iter()
                        .filter_map(|a| {
                            let q = nombre(t, indicateur(st, false), a)?;
                            Some(format!("{} en {a}", effectif(q)))
                        })
                        .collect();
                    if !annees.is_empty() {
                        c.push_str(&format!(" ({})", annees.join(", ")));
                    }
                    Some(c)
                })
                .collect();
            format!("{t} — {}.", clauses.join(" ; "))
        })
        .collect())
}

/// The département's counts by type and status.
pub fn decompte(s: &StructuresCalculees) -> PolarsResult<Tableau> {
    let (types, comptes) = departement(s)?;
    let cellule = |t: &str, i: String, l: &str| {
        comptes
            .get(&(t.to_string(), i, l.to_string()))
            .map(|v| Cellule::Effectif(*v))
            .unwrap_or(Cellule::Effectif(0.0))
    };
    let mut lignes = Vec::new();
    for t in &types {
        for st in STATUTS_STRUCTURE {
            if !comptes.contains_key(&(t.clone(), indicateur(st, false), String::new())) {
                continue;
            }
            lignes.push(vec![
                Cellule::Texte(t.clone()),
                Cellule::Texte(libelle_statut(st).to_string()),
                cellule(t, indicateur(st, false), ""),
                cellule(t, indicateur(st, false), "qpv"),
                cellule(t, indicateur(st, false), "proximite_qpv"),
                cellule(t, indicateur(st, true), ""),
            ]);
        }
    }
    Ok(Tableau {
        titre: "Structures et labels par type et statut".to_string(),
        entetes: [
            "Type",
            "Statut",
            "Nombre",
            "en QPV",
            "à proximité d'un QPV",
            "dans une commune ayant un QPV",
        ]
        .map(String::from)
        .to_vec(),
        lignes,
    })
}

/// Every structure (of commune `commune` only, when given).
pub fn liste(s: &StructuresCalculees, commune: Option<&str>) -> PolarsResult<Tableau> {
    let l = &s.liste;
    let t = |c: &str| textes(l, c);
    let (typ, nom, code, commune_nom, qpv, nom_qpv, loc, st, cat) = (
        t("type")?,
        t("nom")?,
        t("code_commune")?,
        t("nom_commune")?,
        t("code_qpv")?,
        t("nom_qpv")?,
        t(LOCALISATION)?,
        t("statut_structure")?,
        t(CATEGORIE)?,
    );
    let annee = l.column("annee")?.i32()?;
    let lignes = (0..l.height())
        .filter(|&i| commune.is_none_or(|c| code[i] == c))
        .map(|i| {
            let quartier = match (qpv[i].is_empty(), nom_qpv[i].is_empty()) {
                (true, _) => String::new(),
                (false, true) => qpv[i].clone(),
                (false, false) => format!("{} ({})", nom_qpv[i], qpv[i]),
            };
            vec![
                Cellule::Texte(typ[i].clone()),
                Cellule::Texte(nom[i].clone()),
                Cellule::Texte(commune_nom[i].clone()),
                Cellule::Texte(quartier),
                Cellule::Texte(libelle_localisation(&loc[i]).to_string()),
                Cellule::Texte(libelle_statut(&st[i]).to_string()),
                Cellule::Texte(annee.get(i).map(|a| a.to_string()).unwrap_or_default()),
                Cellule::Texte(cat[i].clone()),
            ]
        })
        .collect();
    Ok(Tableau {
        titre: match commune {
            Some(_) => "Structures et labels de la commune".to_string(),
            None => "Liste des structures et labels".to_string(),
        },
        entetes: [
            "Type",
            "Nom",
            "Commune",
            "QPV",
            "Localisation",
            "Statut",
            "Année",
            "Catégorie",
        ]
        .map(String::from)
        .to_vec(),
        lignes,
    })
}
