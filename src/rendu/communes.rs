//! One workbook and one page per commune that has a QPV in the period's
//! list: the commune's job seekers (all and in QPV), each of its QPV (an
//! intercommunal QPV is marked, with the commune's part when the producer
//! gives it, else the whole QPV), its funded dossiers, and the
//! département's figures for comparison. Nothing of the other communes.

use std::collections::HashMap;
use std::path::PathBuf;

use polars::prelude::*;

use super::tableaux::{Cellule, Index, Tableau, PUBLICS_LIBELLES};
use super::{table_des_dispositifs, table_des_qpv, table_des_structures};
use crate::erreur::{Erreur, Resultat};
use crate::indicateurs::financements::Dossier;
use crate::indicateurs::territoires::Quartier;
use crate::indicateurs::Indicateurs;
use crate::modele::colonnes::*;
use crate::modele::{mesures, niveaux, Statut, DE_ABC, SUFFIXE_QPV};
use crate::rapport::chemins::{Fichiers, Format};
use crate::rapport::version::{relatif, Rectification, Versions};
use crate::reglages::Reglages;

/// What a commune's documents show.
pub struct ContenuCommune {
    pub code: String,
    pub nom: String,
    pub tableaux: Vec<Tableau>,
    pub notes: Vec<String>,
    pub sources: Vec<String>,
    /// Set by [`ecrire`] from the report's versions.
    pub version: Option<Rectification>,
}

/// The commune's part of each intercommunal QPV, secrecy applied.
fn parts(indicateurs: &Indicateurs) -> PolarsResult<HashMap<(String, String, String), Cellule>> {
    let p = &indicateurs.parts_communales;
    let (q, c, ind) = (
        p.column("code_qpv")?.str()?,
        p.column("code_commune")?.str()?,
        p.column(INDICATEUR)?.str()?,
    );
    let (v, s) = (p.column(VALEUR)?.f64()?, p.column(STATUT)?.u32()?);
    Ok((0..p.height())
        .map(|i| {
            let cellule = match (v.get(i), Statut::de_la_case(s.get(i))) {
                (Some(x), Statut::Valeur) => Cellule::Effectif(x),
                (_, st) => Cellule::Manquant(st),
            };
            (
                (
                    q.get(i).unwrap_or("").into(),
                    c.get(i).unwrap_or("").into(),
                    ind.get(i).unwrap_or("").into(),
                ),
                cellule,
            )
        })
        .collect())
}

fn qpv(i: &str) -> String {
    format!("{i}{SUFFIXE_QPV}")
}

fn demandeurs(index: &Index, code: &str, nom: &str, reglages: &Reglages) -> Tableau {
    let dep = reglages.conseil.departement.as_str();
    let mut publics = vec![(DE_ABC, "Demandeurs d'emploi ABC")];
    publics.extend(PUBLICS_LIBELLES.iter().copied());
    let lignes = publics
        .iter()
        .map(|(ind, lib)| {
            let part = |niveau: &str, c: &str| {
                if *ind == DE_ABC {
                    index.cellule(niveau, c, &qpv(DE_ABC), mesures::PART)
                } else {
                    index.cellule(niveau, c, &qpv(ind), mesures::PART)
                }
            };
            vec![
                Cellule::Texte(lib.to_string()),
                index.cellule(niveaux::COMMUNE, code, ind, mesures::EFFECTIF),
                index.cellule(niveaux::COMMUNE, code, ind, mesures::EVOLUTION_ANNUELLE),
                index.cellule(niveaux::COMMUNE, code, &qpv(ind), mesures::EFFECTIF),
                index.cellule(
                    niveaux::COMMUNE,
                    code,
                    &qpv(ind),
                    mesures::EVOLUTION_ANNUELLE,
                ),
                part(niveaux::COMMUNE, code),
                part(niveaux::DEPARTEMENT, dep),
            ]
        })
        .collect();
    Tableau {
        titre: format!(
            "Demandeurs d'emploi, {}",
            reglages.conseil.periode.libelle_long()
        ),
        entetes: vec![
            "Catégories A, B, C".to_string(),
            nom.to_string(),
            super::evolution_annuelle(reglages, "Évolution annuelle"),
            "dont résidant en QPV".to_string(),
            super::evolution_annuelle(reglages, "Évolution annuelle en QPV"),
            format!("Part en QPV : {nom} ¹"),
            format!("Part en QPV : {} ¹", reglages.conseil.nom_departement),
        ],
        lignes,
    }
}

fn quartiers(
    index: &Index,
    parts: &HashMap<(String, String, String), Cellule>,
    code: &str,
    liste: &[Quartier],
) -> Tableau {
    let mut entetes: Vec<String> = [
        "Quartier",
        "Périmètre",
        "Total ABC",
        "Évol. annuelle",
        "Moins de 26 ans",
        "50 ans et plus",
        "Longue durée",
        "Infra-bac",
        "Sans diplôme",
    ]
    .map(String::from)
    .to_vec();
    let population = table_des_qpv::avec_population(index, niveaux::COMMUNE, code);
    if population {
        entetes.push("Habitants".to_string());
    }
    let lignes = liste
        .iter()
        .map(|q| {
            let part_connue = q.intercommunal
                && parts
                    .get(&(q.code.clone(), code.to_string(), DE_ABC.to_string()))
                    .is_some_and(|c| !matches!(c, Cellule::Manquant(Statut::NonDisponible)));
            let perimetre = match (q.intercommunal, part_connue) {
                (_, true) => "Intercommunal, partie communale",
                (true, false) => "Intercommunal, quartier entier",
                (false, false) => "Commune",
            };
            let valeur = |ind: &str| {
                if part_connue {
                    parts
                        .get(&(q.code.clone(), code.to_string(), ind.to_string()))
                        .cloned()
                        .unwrap_or(Cellule::Manquant(Statut::NonDisponible))
                } else {
                    index.cellule(niveaux::QPV, &q.code, ind, mesures::EFFECTIF)
                }
            };
            let mut l = vec![
                Cellule::Texte(format!("{} ({})", q.nom, q.code)),
                Cellule::Texte(perimetre.to_string()),
                valeur(DE_ABC),
                if part_connue {
                    Cellule::SansObjet
                } else {
                    index.cellule(niveaux::QPV, &q.code, DE_ABC, mesures::EVOLUTION_ANNUELLE)
                },
            ];
            l.extend(PUBLICS_LIBELLES.iter().map(|(ind, _)| valeur(ind)));
            if population {
                l.push(table_des_qpv::habitants(index, &q.code));
            }
            l
        })
        .collect();
    Tableau {
        titre: match table_des_qpv::phrase(index, niveaux::COMMUNE, code) {
            Some(p) => format!("Quartiers prioritaires de la commune : {p}"),
            None => "Quartiers prioritaires de la commune".to_string(),
        },
        entetes,
        lignes,
    }
}

fn financements(dossiers: &[&Dossier]) -> Tableau {
    Tableau {
        titre: "Projets financés dans la commune".to_string(),
        entetes: [
            "Dispositif",
            "Porteur",
            "Projet",
            "Localisation",
            "Statut",
            "Montant",
        ]
        .map(String::from)
        .to_vec(),
        lignes: dossiers
            .iter()
            .map(|d| {
                vec![
                    Cellule::Texte(super::tableaux::titre_dispositif(&d.dispositif, &d.vague)),
                    Cellule::Texte(d.porteur.clone()),
                    Cellule::Texte(d.intitule.clone()),
                    Cellule::Texte(
                        super::tableaux::libelle_localisation(&d.localisation).to_string(),
                    ),
                    Cellule::Texte(super::tableaux::libelle_statut(&d.statut)),
                    d.montant
                        .map(Cellule::Montant)
                        .unwrap_or(Cellule::ManquantEnClair(Statut::NonDisponible)),
                ]
            })
            .collect(),
    }
}

/// The content of every commune's documents.
pub fn contenus(
    reglages: &Reglages,
    indicateurs: &Indicateurs,
    index: &Index,
) -> Resultat<Vec<ContenuCommune>> {
    let parts = parts(indicateurs)?;
    let dossiers = indicateurs.dossiers.as_deref().unwrap_or(&[]);
    let comptes = match &indicateurs.dispositifs {
        Some(large) => table_des_dispositifs::comptes(large)?,
        None => Vec::new(),
    };
    let mut sortie = Vec::new();
    for commune in &indicateurs.territoires.communes {
        let (code, nom, liste) = (
            commune.code.clone(),
            commune.nom.clone(),
            &commune.quartiers,
        );
        let mut tableaux = vec![
            demandeurs(index, &code, &nom, reglages),
            quartiers(index, &parts, &code, liste),
        ];
        // A refused dossier was not financed: the register lists it, the
        // commune's table does not.
        let siens: Vec<&Dossier> = dossiers
            .iter()
            .filter(|d| d.code_commune == code && d.statut != "refuse")
            .collect();
        if !siens.is_empty() {
            tableaux.push(financements(&siens));
        }
        if let Some(s) = &indicateurs.structures {
            let siennes = table_des_structures::liste(s, Some(&code))?;
            if !siennes.lignes.is_empty() {
                tableaux.push(siennes);
            }
        }
        let ses_qpv: Vec<String> = liste.iter().map(|q| q.code.clone()).collect();
        let ses_comptes = table_des_dispositifs::de_la_commune(&comptes, &code, &ses_qpv);
        if !ses_comptes.is_empty() {
            tableaux.push(table_des_dispositifs::tableau(
                &ses_comptes,
                "Dispositifs dans la commune et ses QPV",
                false,
            ));
        }
        let mut notes = vec![
            "¹ Première ligne : part des demandeurs d'emploi qui résident en QPV ; lignes suivantes : part du public parmi les demandeurs d'emploi résidant en QPV.".to_string(),
        ];
        notes.extend(super::notes_ruptures(reglages, indicateurs));
        if indicateurs.missions_locales.is_some() {
            notes.push(
                "Missions locales : les chiffres ne sont disponibles qu'à l'échelle du département (voir l'annexe départementale).".to_string(),
            );
        }
        if indicateurs.dossiers.is_some() {
            let apres = indicateurs
                .dossiers_decides_apres
                .iter()
                .filter(|c| **c == commune.code)
                .count();
            let fin = super::decides_apres_le(reglages.conseil.periode);
            match (siens.is_empty(), apres) {
                (true, 0) => notes.push(
                    "Aucun projet financé dans la commune dans les registres reçus.".to_string(),
                ),
                (vide, n) if n > 0 => {
                    let (dossiers, compte) = if n == 1 {
                        (
                            "1 dossier de la commune décidé",
                            "n'est pas compté : il le sera au trimestre de sa décision",
                        )
                    } else {
                        (
                            "dossiers de la commune décidés",
                            "ne sont pas comptés : ils le seront au trimestre de leur décision",
                        )
                    };
                    let nombre = if n == 1 {
                        String::new()
                    } else {
                        format!("{n} ")
                    };
                    notes.push(format!(
                        "{}{nombre}{dossiers} après le {fin} {compte}.",
                        if vide {
                            "Aucun projet financé compté dans la commune : "
                        } else {
                            ""
                        }
                    ));
                }
                _ => {}
            }
        }
        let sources = vec![
            format!(
                "Source : France Travail, demandeurs d'emploi de catégories A, B, C, données brutes ; référentiel des QPV{}.",
                match (indicateurs.dossiers.is_some(), indicateurs.dispositifs.is_some()) {
                    (true, true) => " ; registres de financement ; chiffres des dispositifs",
                    (true, false) => " ; registres de financement",
                    (false, true) => " ; chiffres des dispositifs",
                    (false, false) => "",
                }
            ),
            "Signes conventionnels : s = secret statistique ; nd = non disponible ; /// = sans objet ; – = ne s'applique pas.".to_string(),
        ];
        sortie.push(ContenuCommune {
            code,
            nom,
            tableaux,
            notes,
            sources,
            version: None,
        });
    }
    Ok(sortie)
}

/// Writes `communes/<code>-<slug>.xlsx` and `.pdf` for every commune.
pub fn ecrire(
    reglages: &Reglages,
    indicateurs: &Indicateurs,
    index: &Index,
    (sorties, versions): (&Fichiers, &Versions),
) -> Resultat<Vec<PathBuf>> {
    let dossier = sorties.communes();
    std::fs::create_dir_all(&dossier).map_err(Erreur::acces(&dossier, "création du dossier"))?;
    let mut fichiers = Vec::new();
    for mut contenu in contenus(reglages, indicateurs, index)? {
        let xlsx = sorties.commune(&contenu.code, &contenu.nom, Format::Classeur);
        contenu.version = versions.de(&relatif(&xlsx, sorties.dossier()));
        super::xlsx::ecrire_commune(&contenu, reglages, &xlsx)?;
        let pdf = sorties.commune(&contenu.code, &contenu.nom, Format::Pdf);
        contenu.version = versions.de(&relatif(&pdf, sorties.dossier()));
        super::pdf::ecrire_commune(&contenu, reglages, &pdf)?;
        fichiers.extend([xlsx, pdf]);
    }
    Ok(fichiers)
}
