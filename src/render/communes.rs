//! One workbook and one page per commune that has a QPV in the period's
//! list: the commune's job seekers (all and in QPV), each of its QPV (an
//! intercommunal QPV is marked, with the commune's part when the producer
//! gives it, else the whole QPV), its funded dossiers, and the
//! département's figures for comparison. Nothing of the other communes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::tableaux::{Cellule, Dossier, Index, Tableau, PUBLICS_LIBELLES};
use crate::error::{Erreur, Resultat};
use crate::indicators::Indicateurs;
use crate::ingest::entetes::normaliser;
use crate::model::colonnes::*;
use crate::model::{mesures, niveaux, Statut, DE_ABC, SUFFIXE_QPV};
use crate::pipeline::Entrees;
use crate::settings::Settings;

/// What a commune's documents show.
pub struct ContenuCommune {
    pub code: String,
    pub nom: String,
    pub tableaux: Vec<Tableau>,
    pub notes: Vec<String>,
    pub sources: Vec<String>,
}

/// `92019-chatenay-malabry`: ASCII, safe in any file system.
pub fn nom_de_fichier(code: &str, nom: &str) -> String {
    let slug = normaliser(nom).replace('_', "-");
    if slug.is_empty() {
        code.to_string()
    } else {
        format!("{code}-{slug}")
    }
}

/// A QPV of the commune: code, name, and whether it spans other communes.
struct Quartier {
    code: String,
    nom: String,
    intercommunal: bool,
}

/// Referential rows of a QPV of the period's list (2015 or 2024
/// generation): a commune with one gets its documents.
fn qpv_de_la_liste(periode: crate::model::Periode) -> Expr {
    col("code_qpv")
        .str()
        .starts_with(lit(periode.generation().prefixe()))
}

/// How many documents a run writes for the départements `codes`: each
/// annex's workbook and PDF, and those of every commune with a QPV of the
/// period's list (as `communes()` finds them), for the progress bar.
pub fn nombre_de_documents(
    referentiel: &crate::model::Referentiel,
    periode: crate::model::Periode,
    codes: &[String],
) -> PolarsResult<u64> {
    let par_departement = referentiel
        .lignes
        .clone()
        .lazy()
        .filter(qpv_de_la_liste(periode))
        .group_by([crate::model::departements::expr_departement(col("code_commune")).alias("dep")])
        .agg([col("code_commune").n_unique().alias("n")])
        .collect()?;
    let (deps, n) = (
        par_departement.column("dep")?.str()?,
        par_departement.column("n")?.cast(&DataType::UInt64)?,
    );
    let communes: u64 = deps
        .iter()
        .zip(n.u64()?.iter())
        .filter(|(d, _)| d.is_some_and(|d| codes.iter().any(|c| c == d)))
        .filter_map(|(_, n)| n)
        .sum();
    Ok(2 * (codes.len() as u64 + communes))
}

/// Communes of the département with a QPV of the period's list, by code.
fn communes(
    entrees: &Entrees,
    settings: &Settings,
) -> PolarsResult<Vec<(String, String, Vec<Quartier>)>> {
    let r = entrees
        .referentiel
        .lignes
        .clone()
        .lazy()
        .with_column(
            col("code_commune")
                .n_unique()
                .over([col("code_qpv")])?
                .alias("n_communes"),
        )
        .filter(
            col("code_commune")
                .str()
                .starts_with(lit(settings.conseil.departement.as_str()))
                .and(qpv_de_la_liste(settings.conseil.periode)),
        )
        .sort(["code_commune", "code_qpv"], SortMultipleOptions::default())
        .collect()?;
    let (codes, noms, qpv, noms_qpv) = (
        r.column("code_commune")?.str()?,
        r.column("nom_commune")?.str()?,
        r.column("code_qpv")?.str()?,
        r.column("nom_qpv")?.str()?,
    );
    let n = r.column("n_communes")?.cast(&DataType::UInt32)?;
    let n = n.u32()?;
    let mut sortie: Vec<(String, String, Vec<Quartier>)> = Vec::new();
    for i in 0..r.height() {
        let code = codes.get(i).unwrap_or("").to_string();
        let quartier = Quartier {
            code: qpv.get(i).unwrap_or("").to_string(),
            nom: noms_qpv.get(i).unwrap_or("").to_string(),
            intercommunal: n.get(i).unwrap_or(1) > 1,
        };
        match sortie.last_mut() {
            Some((c, _, q)) if *c == code => {
                if !q.iter().any(|x| x.code == quartier.code) {
                    q.push(quartier)
                }
            }
            _ => sortie.push((
                code.clone(),
                noms.get(i).unwrap_or(&code).to_string(),
                vec![quartier],
            )),
        }
    }
    Ok(sortie)
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
            let cellule = match (v.get(i), Statut::depuis_code(s.get(i).unwrap_or(2))) {
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

fn demandeurs(index: &Index, code: &str, nom: &str, settings: &Settings) -> Tableau {
    let dep = settings.conseil.departement.as_str();
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
            settings.conseil.periode.libelle_long()
        ),
        entetes: vec![
            "Catégories A, B, C".to_string(),
            nom.to_string(),
            super::evolution_annuelle(settings, "Évolution annuelle"),
            "dont résidant en QPV".to_string(),
            super::evolution_annuelle(settings, "Évolution annuelle en QPV"),
            format!("Part en QPV : {nom} ¹"),
            format!("Part en QPV : {} ¹", settings.conseil.nom_departement),
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
    let entetes: Vec<String> = [
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
            l
        })
        .collect();
    Tableau {
        titre: "Quartiers prioritaires de la commune".to_string(),
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
    settings: &Settings,
    entrees: &Entrees,
    indicateurs: &Indicateurs,
    index: &Index,
    dossiers: &[Dossier],
) -> Resultat<Vec<ContenuCommune>> {
    let parts = parts(indicateurs)?;
    let mut sortie = Vec::new();
    for (code, nom, liste) in communes(entrees, settings)? {
        let mut tableaux = vec![
            demandeurs(index, &code, &nom, settings),
            quartiers(index, &parts, &code, &liste),
        ];
        let siens: Vec<&Dossier> = dossiers.iter().filter(|d| d.code_commune == code).collect();
        if !siens.is_empty() {
            tableaux.push(financements(&siens));
        }
        let mut notes = vec![
            "¹ Première ligne : part des demandeurs d'emploi qui résident en QPV ; lignes suivantes : part du public parmi les demandeurs d'emploi résidant en QPV.".to_string(),
        ];
        notes.extend(super::notes_ruptures(settings, indicateurs));
        if entrees.missions_locales.is_some() {
            notes.push(
                "Missions locales : les chiffres ne sont disponibles qu'à l'échelle du département (voir l'annexe départementale).".to_string(),
            );
        }
        if entrees.financements.is_some() && siens.is_empty() {
            notes
                .push("Aucun projet financé dans la commune dans les registres reçus.".to_string());
        }
        let sources = vec![
            format!(
                "Source : France Travail, demandeurs d'emploi de catégories A, B, C, données brutes ; référentiel des QPV{}.",
                if entrees.financements.is_some() { " ; registres de financement" } else { "" }
            ),
            "Signes conventionnels : s = secret statistique ; nd = non disponible ; /// = sans objet ; – = ne s'applique pas.".to_string(),
        ];
        sortie.push(ContenuCommune {
            code,
            nom,
            tableaux,
            notes,
            sources,
        });
    }
    Ok(sortie)
}

/// Writes `communes/<code>-<slug>.xlsx` and `.pdf` for every commune.
pub fn ecrire(
    settings: &Settings,
    entrees: &Entrees,
    indicateurs: &Indicateurs,
    index: &Index,
    dossiers: &[Dossier],
    dossier: &Path,
) -> Resultat<Vec<PathBuf>> {
    let dossier = dossier.join("communes");
    std::fs::create_dir_all(&dossier).map_err(Erreur::io(&dossier, "création du dossier"))?;
    let mut fichiers = Vec::new();
    for contenu in contenus(settings, entrees, indicateurs, index, dossiers)? {
        let base = format!(
            "{}{}",
            nom_de_fichier(&contenu.code, &contenu.nom),
            settings.suffixe()
        );
        let xlsx = dossier.join(format!("{base}.xlsx"));
        super::xlsx::ecrire_commune(&contenu, settings, &xlsx)?;
        let pdf = dossier.join(format!("{base}.pdf"));
        super::pdf::ecrire_commune(&contenu, settings, &pdf)?;
        fichiers.extend([xlsx, pdf]);
    }
    Ok(fichiers)
}
