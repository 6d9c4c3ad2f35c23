//! The QPV table of the deck ("Les QPV dans les Hauts-de-Seine: 21
//! quartiers accueillant 103 000 habitants", then EPT › commune ›
//! quartier), from the `quartiers` rows of the indicators and the
//! département's structure.

use super::tableaux::{Cellule, Index, Tableau};
use crate::format;
use crate::indicateurs::quartiers::QUARTIERS;
use crate::indicateurs::territoires::{CommuneQpv, Territoires};
use crate::modele::{mesures, niveaux};

/// "21 quartiers accueillant 103 000 habitants" for the territory
/// `niveau`/`code`; the inhabitants only when known. `None` when the
/// territory has no QPV.
pub fn phrase(index: &Index, niveau: &str, code: &str) -> Option<String> {
    let n = index.valeur(niveau, code, QUARTIERS, mesures::NB_QPV)?;
    let quartiers = if n > 1.0 { "quartiers" } else { "quartier" };
    let mut phrase = format!("{} {quartiers}", format::effectif(n));
    if let Some(p) = index.valeur(niveau, code, QUARTIERS, mesures::POPULATION) {
        phrase.push_str(&format!(" accueillant {} habitants", format::effectif(p)));
    }
    Some(phrase)
}

/// Whether the referential gave populations for the territory
/// `niveau`/`code` (else no column of inhabitants, rather than one of
/// "nd").
pub fn avec_population(index: &Index, niveau: &str, code: &str) -> bool {
    index
        .chercher(niveau, code, QUARTIERS, mesures::POPULATION)
        .is_some()
}

/// The inhabitants of QPV `code`.
pub fn habitants(index: &Index, code: &str) -> Cellule {
    index.cellule(niveaux::QPV, code, QUARTIERS, mesures::POPULATION)
}

/// The communes in the deck's order: by EPT (in the order of their codes),
/// then the communes without EPT; by code within each.
fn par_ept<'a>(index: &Index, territoires: &'a Territoires) -> Vec<&'a CommuneQpv> {
    let rang = |c: &CommuneQpv| {
        c.ept
            .as_ref()
            .and_then(|e| index.codes(niveaux::EPT).iter().position(|x| x == e))
            .unwrap_or(usize::MAX)
    };
    let mut communes: Vec<&CommuneQpv> = territoires.communes.iter().collect();
    communes.sort_by(|a, b| rang(a).cmp(&rang(b)).then_with(|| a.code.cmp(&b.code)));
    communes
}

/// EPT › commune › quartier, each QPV once: an intercommunal QPV under the
/// first of its communes, with all of them named.
pub fn liste(index: &Index, territoires: &Territoires, departement: &str) -> Tableau {
    let population = avec_population(index, niveaux::DEPARTEMENT, departement);
    let mut entetes = vec!["EPT", "Commune", "Quartier", "Code"];
    if population {
        entetes.push("Habitants");
    }
    let mut vus: Vec<&str> = Vec::new();
    let mut lignes = Vec::new();
    for commune in par_ept(index, territoires) {
        let ept = commune
            .ept
            .as_ref()
            .map(|e| index.libelle(niveaux::EPT, e))
            .unwrap_or_default();
        for q in &commune.quartiers {
            if vus.contains(&q.code.as_str()) {
                continue;
            }
            vus.push(&q.code);
            let communes = match territoires.communes_des_qpv.get(&q.code) {
                Some(toutes) if q.intercommunal => toutes.clone(),
                _ => commune.nom.clone(),
            };
            let mut ligne = vec![
                Cellule::Texte(ept.clone()),
                Cellule::Texte(communes),
                Cellule::Texte(q.nom.clone()),
                Cellule::Texte(q.code.clone()),
            ];
            if population {
                ligne.push(habitants(index, &q.code));
            }
            lignes.push(ligne);
        }
    }
    Tableau {
        titre: "Les quartiers prioritaires par EPT et par commune".to_string(),
        entetes: entetes.into_iter().map(String::from).collect(),
        lignes,
    }
}

/// How many QPV and inhabitants in the département, each EPT and each
/// commune (a commune with an intercommunal QPV: inhabitants not
/// available, its part of the QPV not being known).
pub fn decompte(
    index: &Index,
    territoires: &Territoires,
    (departement, nom): (&str, &str),
) -> Tableau {
    let population = avec_population(index, niveaux::DEPARTEMENT, departement);
    let ligne = |niveau: &str, code: &str, type_: &str, nom: String| {
        let mut l = vec![
            Cellule::Texte(nom),
            Cellule::Texte(type_.to_string()),
            index.cellule(niveau, code, QUARTIERS, mesures::NB_QPV),
        ];
        if population {
            l.push(index.cellule(niveau, code, QUARTIERS, mesures::POPULATION));
        }
        l
    };
    let mut lignes = vec![ligne(
        niveaux::DEPARTEMENT,
        departement,
        "Département",
        nom.to_string(),
    )];
    for e in index.codes(niveaux::EPT) {
        if index
            .chercher(niveaux::EPT, e, QUARTIERS, mesures::NB_QPV)
            .is_some()
        {
            lignes.push(ligne(
                niveaux::EPT,
                e,
                "EPT",
                index.libelle(niveaux::EPT, e),
            ));
        }
    }
    for c in &territoires.communes {
        lignes.push(ligne(niveaux::COMMUNE, &c.code, "Commune", c.nom.clone()));
    }
    let mut entetes = vec!["Territoire", "Niveau", "Quartiers prioritaires"];
    if population {
        entetes.push("Habitants");
    }
    Tableau {
        titre: "Nombre de quartiers et d'habitants par territoire".to_string(),
        entetes: entetes.into_iter().map(String::from).collect(),
        lignes,
    }
}
