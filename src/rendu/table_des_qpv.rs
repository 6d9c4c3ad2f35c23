//! The QPV table of the deck ("Les QPV dans les Hauts-de-Seine: 21
//! quartiers accueillant 103 000 habitants", then EPT or EPCI › commune
//! › quartier), from the `quartiers` rows of the indicators and the
//! département's structure.

use super::intercommunalites::{sigle_du_niveau, Intercommunalites};
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

/// The communes in the deck's order: by intercommunality (EPT, then
/// EPCI, in the order of their codes), then the communes without one; by
/// code within each.
fn par_interco<'a>(index: &Index, territoires: &'a Territoires) -> Vec<&'a CommuneQpv> {
    let rang = |c: &CommuneQpv| {
        c.interco
            .as_ref()
            .and_then(|(n, code)| {
                let niveau = niveaux::INTERCOMMUNAUX.iter().position(|x| x == n)?;
                let place = index.codes(n).iter().position(|x| x == code)?;
                Some((niveau, place))
            })
            .unwrap_or((usize::MAX, usize::MAX))
    };
    let mut communes: Vec<&CommuneQpv> = territoires.communes.iter().collect();
    communes.sort_by(|a, b| rang(a).cmp(&rang(b)).then_with(|| a.code.cmp(&b.code)));
    communes
}

/// EPT or EPCI › commune › quartier, each QPV once: an intercommunal QPV
/// under the first of its communes written in the referential, with all
/// of them named. Without any
/// intercommunality, commune › quartier.
pub fn liste(index: &Index, territoires: &Territoires, departement: &str) -> Tableau {
    let population = avec_population(index, niveaux::DEPARTEMENT, departement);
    let inter = Intercommunalites::de(index);
    let mut entetes = vec!["Commune", "Quartier", "Code"];
    if !inter.aucune() {
        entetes.insert(0, inter.sigle());
    }
    if population {
        entetes.push("Habitants");
    }
    let mut vus: Vec<&str> = Vec::new();
    let mut lignes = Vec::new();
    for commune in par_interco(index, territoires) {
        let nom_interco = commune
            .interco
            .as_ref()
            .map(|(n, code)| index.libelle(n, code))
            .unwrap_or_default();
        for q in &commune.quartiers {
            // An intercommunal QPV under the first of its communes written.
            let ailleurs = territoires
                .premiere_commune
                .get(&q.code)
                .is_some_and(|c| *c != commune.code);
            if ailleurs || vus.contains(&q.code.as_str()) {
                continue;
            }
            vus.push(&q.code);
            let communes = match territoires.communes_des_qpv.get(&q.code) {
                Some(toutes) if q.intercommunal => toutes.clone(),
                _ => commune.nom.clone(),
            };
            let mut ligne = vec![
                Cellule::Texte(communes),
                Cellule::Texte(q.nom.clone()),
                Cellule::Texte(q.code.clone()),
            ];
            if !inter.aucune() {
                ligne.insert(0, Cellule::Texte(nom_interco.clone()));
            }
            if population {
                ligne.push(habitants(index, &q.code));
            }
            lignes.push(ligne);
        }
    }
    let titre = if inter.aucune() {
        "Les quartiers prioritaires par commune".to_string()
    } else {
        format!(
            "Les quartiers prioritaires par {} et par commune",
            inter.sigle_en_phrase()
        )
    };
    Tableau {
        titre,
        entetes: entetes.into_iter().map(String::from).collect(),
        lignes,
    }
}

/// How many QPV and inhabitants in the département, each EPT or EPCI and
/// each commune (a commune with an intercommunal QPV: inhabitants not
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
    for n in niveaux::INTERCOMMUNAUX {
        for e in index.codes(n) {
            if index.chercher(n, e, QUARTIERS, mesures::NB_QPV).is_some() {
                lignes.push(ligne(n, e, sigle_du_niveau(n), index.libelle(n, e)));
            }
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
        titre: if population {
            "Nombre de quartiers et d'habitants par territoire"
        } else {
            "Nombre de quartiers par territoire"
        }
        .to_string(),
        entetes: entetes.into_iter().map(String::from).collect(),
        lignes,
    }
}
