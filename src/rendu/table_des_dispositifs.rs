//! The scheme counts as the deck gives them ("1 486 demandes d'employeurs
//! validées depuis mars 2019", "61 SIAE dont 26 en QPV"): one sentence per
//! scheme, the table of every count, each commune's own, from the
//! protected wide table (`indicateurs::dispositifs`).

use polars::prelude::*;

use super::tableaux::{Cellule, Tableau};
use crate::modele::colonnes::*;
use crate::modele::{niveaux, textes, Periode, Statut};
use crate::reglages::Date;

/// One count as the documents show it.
#[derive(Debug, Clone)]
pub struct Compte {
    pub dispositif: String,
    pub chiffre: String,
    pub categorie: String,
    pub periode: String,
    pub niveau: String,
    pub code: String,
    pub territoire: String,
    pub valeur: Cellule,
    /// The QPV count and part, when the file gives one.
    pub qpv: Option<(Cellule, Cellule)>,
    /// The target and the achievement rate, when the file gives one.
    pub objectif: Option<(Cellule, Cellule)>,
    pub depuis: Option<Date>,
    pub au: Option<Date>,
}

/// The counts of the wide table, in the files' order.
pub fn comptes(large: &DataFrame) -> PolarsResult<Vec<Compte>> {
    let t = |c: &str| textes(large, c);
    let (disp, chiffre, cat, per) = (
        t(DISPOSITIF)?,
        t("libelle_indicateur")?,
        t(CATEGORIE)?,
        t(PERIODE)?,
    );
    let (niv, code, lib, depuis, au) = (t(NIVEAU)?, t(CODE)?, t(LIBELLE)?, t(DEPUIS)?, t(AU)?);
    let euros = large.column("euros")?.bool()?;
    let cellule =
        |v: &str, s: &str, i: usize, sorte: fn(f64) -> Cellule| -> PolarsResult<Cellule> {
            let statut = Statut::de_la_case(large.column(s)?.u32()?.get(i));
            Ok(match (large.column(v)?.f64()?.get(i), statut) {
                (Some(x), Statut::Valeur) => sorte(x),
                _ => Cellule::Manquant(statut),
            })
        };
    let donne = |s: &str, i: usize| -> PolarsResult<bool> {
        Ok(Statut::de_la_case(large.column(s)?.u32()?.get(i)) != Statut::NonDisponible)
    };
    let mut sortie = Vec::with_capacity(large.height());
    for i in 0..large.height() {
        let sorte: fn(f64) -> Cellule = if euros.get(i) == Some(true) {
            Cellule::Montant
        } else {
            Cellule::Effectif
        };
        sortie.push(Compte {
            dispositif: disp[i].clone(),
            chiffre: chiffre[i].clone(),
            categorie: cat[i].clone(),
            periode: per[i].clone(),
            niveau: niv[i].clone(),
            code: code[i].clone(),
            territoire: lib[i].clone(),
            valeur: cellule(VALEUR, STATUT, i, sorte)?,
            qpv: match donne("statut_qpv", i)? {
                true => Some((
                    cellule("valeur_qpv", "statut_qpv", i, sorte)?,
                    cellule("part_qpv", "statut_part", i, Cellule::Part)?,
                )),
                false => None,
            },
            objectif: match donne("statut_objectif", i)? {
                true => Some((
                    cellule("objectif", "statut_objectif", i, sorte)?,
                    cellule("taux", "statut_taux", i, Cellule::Part)?,
                )),
                false => None,
            },
            depuis: Date::lire(&depuis[i]),
            au: Date::lire(&au[i]),
        });
    }
    Ok(sortie)
}

/// "4e trimestre 2020" for a quarter, the year as is.
fn periode_en_clair(p: &str) -> String {
    Periode::lire(p)
        .map(Periode::libelle_long)
        .unwrap_or_else(|| p.to_string())
}

/// What a count covers: "depuis le 1er mars 2019, au 31 décembre 2020",
/// else its period ("en 2020", "au 4e trimestre 2020").
fn couverture(c: &Compte) -> String {
    let mut parties = Vec::new();
    if let Some(d) = c.depuis {
        parties.push(format!("depuis le {}", d.en_toutes_lettres()));
    }
    if let Some(a) = c.au {
        parties.push(format!("au {}", a.en_toutes_lettres()));
    }
    if parties.is_empty() {
        parties.push(match Periode::lire(&c.periode) {
            Some(p) => format!("au {}", p.libelle_long()),
            None => format!("en {}", c.periode),
        });
    }
    parties.join(", ")
}

/// A figure that is not a value, in a sentence: its sign and what it
/// means, "s (secret statistique)", as the tables' note has it.
fn signe_en_phrase(s: Statut) -> String {
    match s {
        Statut::Secret => "s (secret statistique)".to_string(),
        autre => format!("{} ({})", autre.signe(), autre.en_clair()),
    }
}

/// One count in words: "754 demandeurs d'emploi bénéficiaires (EI), dont
/// 44 en QPV (62,9 %), objectif 633 (taux de réalisation 5,1 %), depuis
/// le 1er mars 2019"; a count that is not a value is said so.
fn en_mots(c: &Compte) -> String {
    let categorie = if c.categorie.is_empty() {
        String::new()
    } else {
        format!(" ({})", c.categorie)
    };
    let mut phrase = match &c.valeur {
        Cellule::Manquant(Statut::NonDisponible) => format!("{}{categorie} :", c.chiffre),
        Cellule::Manquant(s) => format!("{}{categorie} : {}", c.chiffre, signe_en_phrase(*s)),
        v @ Cellule::Montant(_) => format!("{}{categorie} : {}", c.chiffre, v.texte()),
        v if !c.categorie.is_empty() => format!("{} : {} {}", c.categorie, v.texte(), c.chiffre),
        v => format!("{} {}", v.texte(), c.chiffre),
    };
    if let Some((n, p)) = &c.qpv {
        match (n, p) {
            (Cellule::Manquant(s), _) => {
                phrase.push_str(&format!(", dont {} en QPV", signe_en_phrase(*s)))
            }
            (n, Cellule::Manquant(_)) => phrase.push_str(&format!(", dont {} en QPV", n.texte())),
            (n, p) => phrase.push_str(&format!(", dont {} en QPV ({})", n.texte(), p.texte())),
        }
    }
    if let Some((o, t)) = &c.objectif {
        let lien = if phrase.ends_with(':') { " " } else { ", " };
        phrase.push_str(&format!("{lien}objectif {}", o.texte()));
        if let Cellule::Part(_) = t {
            phrase.push_str(&format!(" (taux de réalisation {})", t.texte()));
        }
    }
    format!("{phrase} {}", couverture(c))
}

/// One sentence per scheme from its département counts: "Emplois francs :
/// 1 486 demandes validées depuis le 1er mars 2019, au 31 décembre 2020 ;
/// 754 demandeurs d'emploi bénéficiaires …".
pub fn phrases(comptes: &[Compte]) -> Vec<String> {
    let mut dispositifs: Vec<&str> = Vec::new();
    for c in comptes.iter().filter(|c| c.niveau == niveaux::DEPARTEMENT) {
        if !dispositifs.contains(&c.dispositif.as_str()) {
            dispositifs.push(&c.dispositif);
        }
    }
    dispositifs
        .into_iter()
        .map(|d| {
            let clauses: Vec<String> = comptes
                .iter()
                .filter(|c| c.niveau == niveaux::DEPARTEMENT && c.dispositif == d)
                .map(en_mots)
                .collect();
            format!("{d} : {}.", clauses.join(" ; "))
        })
        .collect()
}

/// An optional pair of cells, "–" when the file gives none.
fn ou_sans_objet(paire: &Option<(Cellule, Cellule)>) -> [Cellule; 2] {
    match paire {
        Some((a, b)) => [a.clone(), b.clone()],
        None => [Cellule::SansObjet, Cellule::SansObjet],
    }
}

/// Every count, with its territory, period and dates; `complet`: with
/// the dates, the target and the rate too (a commune's page has no room).
pub fn tableau(comptes: &[Compte], titre: &str, complet: bool) -> Tableau {
    let date = |d: Option<Date>| Cellule::Texte(d.map(Date::en_toutes_lettres).unwrap_or_default());
    let lignes = comptes
        .iter()
        .map(|c| {
            let mut l = vec![
                Cellule::Texte(c.dispositif.clone()),
                Cellule::Texte(c.chiffre.clone()),
                Cellule::Texte(c.categorie.clone()),
                Cellule::Texte(c.territoire.clone()),
                Cellule::Texte(periode_en_clair(&c.periode)),
            ];
            if complet {
                l.extend([date(c.depuis), date(c.au)]);
            }
            l.push(c.valeur.clone());
            l.extend(ou_sans_objet(&c.qpv));
            if complet {
                l.extend(ou_sans_objet(&c.objectif));
            }
            l
        })
        .collect();
    // The headers in the cells' order, the same columns left out.
    let mut entetes = vec![
        "Dispositif",
        "Chiffre",
        "Catégorie",
        "Territoire",
        "Période",
    ];
    if complet {
        entetes.extend(["Depuis le", "Au"]);
    }
    entetes.extend(["Valeur", "dont en QPV", "Part en QPV"]);
    if complet {
        entetes.extend(["Objectif", "Taux de réalisation"]);
    }
    Tableau {
        titre: titre.to_string(),
        entetes: entetes.into_iter().map(String::from).collect(),
        lignes,
    }
}

/// The counts of commune `code` and of its QPV `quartiers`.
pub fn de_la_commune(comptes: &[Compte], code: &str, quartiers: &[String]) -> Vec<Compte> {
    comptes
        .iter()
        .filter(|c| {
            (c.niveau == niveaux::COMMUNE && c.code == code)
                || (c.niveau == niveaux::QPV && quartiers.contains(&c.code))
        })
        .cloned()
        .collect()
}

/// The calendar's steps to come (`indicateurs::Indicateurs::echeances`):
/// scheme, step, date ("11 juin 2021", or the month alone, "octobre
/// 2021").
pub fn calendrier(echeances: &DataFrame) -> PolarsResult<Tableau> {
    let (disp, etape) = (textes(echeances, DISPOSITIF)?, textes(echeances, "etape")?);
    let debut = echeances.column("debut")?.i32()?;
    let au_jour = echeances.column("au_jour")?.bool()?;
    let lignes = (0..echeances.height())
        .map(|i| {
            let d = debut.get(i).unwrap_or(0);
            let (an, mois, jour) = (d / 10_000, (d / 100) % 100, d % 100);
            let jour = (au_jour.get(i) == Some(true)).then_some(jour.max(0) as u32);
            let date = crate::format::date_en_lettres(an, mois.max(0) as u32, jour);
            vec![
                Cellule::Texte(disp[i].clone()),
                Cellule::Texte(etape[i].clone()),
                Cellule::Texte(date),
            ]
        })
        .collect();
    Ok(Tableau {
        titre: "Calendrier des appels à projets".to_string(),
        entetes: ["Appel à projets", "Étape", "Date"]
            .map(String::from)
            .to_vec(),
        lignes,
    })
}
