//! Each command as a chain of the stages: reading → cut → indicators →
//! rendering → report, one step each.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use polars::prelude::*;

use crate::decoupage::{decouper, marquer, Marquees};
use crate::envoi::OptionsEnvoi;
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::indicateurs::{self, demandeurs, Demande, Indicateurs};
use crate::journal::{Journal, Verbosite};
use crate::lecture::{lire_entrees, Entrees, TableBrute};
use crate::modele::colonnes::{CODE, NIVEAU, PERIODE};
use crate::modele::departements;
use crate::modele::{mesures, niveaux, Periode, Statut};
use crate::parallele::en_parallele;
use crate::rapport::chemins::{Chemins, Fichiers};
use crate::rapport::publication::Publication;
use crate::rapport::publie::{self, LignePubliee};
use crate::rapport::verrou::Verrou;
use crate::rapport::version::{Rectification, Versions};
use crate::rapport::{historique, manifeste};
use crate::reglages::{Date, Recherche, Reglages, Selection};
use crate::{format, rendu};

/// The indicators of every département of `reglages` (their settings, in
/// the run's order; `coupes`, their cuts of the inputs), each family
/// computed for all of them at once on the marked inputs: each
/// département's figures, or the problems of its inputs that stop its
/// annex.
fn calculer(
    reglages: &Reglages,
    entrees: &Entrees,
    marquees: &Marquees,
    reglages_des_departements: &[Reglages],
    coupes: &[Entrees],
) -> Resultat<Vec<Result<Indicateurs, Vec<Probleme>>>> {
    let noms: Vec<(String, String)> = reglages_des_departements
        .iter()
        .map(|s| {
            (
                s.conseil.departement.clone(),
                s.conseil.nom_departement.clone(),
            )
        })
        .collect();
    let demande = Demande {
        departements: &noms,
        periode: reglages.conseil.periode,
        seuil_secret: reglages.seuil_applique(),
        limite: reglages
            .conseil
            .date
            .unwrap_or_else(|| Date::fin_de_trimestre(reglages.conseil.periode))
            .aaaammjj(),
    };
    indicateurs::calculer(&entrees.referentiel, marquees, coupes, &demande)
}

/// The départements' figures as one long table, in their order.
fn une_table<'a>(calcules: impl Iterator<Item = &'a Indicateurs>) -> PolarsResult<DataFrame> {
    empiler(calcules.map(|i| &i.table))
}

/// The tables one under the other, in order.
fn empiler<'a>(tables: impl Iterator<Item = &'a DataFrame>) -> PolarsResult<DataFrame> {
    let mut pile: Option<DataFrame> = None;
    for t in tables {
        match &mut pile {
            Some(p) => {
                p.vstack_mut(t)?;
            }
            None => pile = Some(t.clone()),
        }
    }
    Ok(pile.unwrap_or_default())
}

/// Says every warning of the départements' computations, each once (a
/// national input's warning is found by every département); returns how
/// many.
fn annoncer_avertissements<'a>(
    journal: &Journal,
    entrees: &Entrees,
    calcules: impl Iterator<Item = &'a Indicateurs>,
) -> usize {
    let mut dits: Vec<String> = Vec::new();
    for a in calcules.flat_map(|i| avertissements(entrees, i)) {
        let texte = a.to_string();
        if !dits.contains(&texte) {
            journal.avertissement(&a);
            dits.push(texte);
        }
    }
    dits.len()
}

/// Every problem of the inputs that does not stop the run.
fn avertissements(entrees: &Entrees, indicateurs: &Indicateurs) -> Vec<Probleme> {
    let mut liste: Vec<Probleme> = entrees
        .tables
        .iter()
        .filter(|t| !t.ignorees.is_empty())
        .map(|t| {
            Probleme::new(
                &t.fichier,
                format!("colonnes ignorées : {}", t.ignorees.join(", ")),
            )
            .ligne(1)
        })
        .collect();
    liste.extend(entrees.avertissements.iter().cloned());
    liste.extend(indicateurs.avertissements.iter().cloned());
    liste.extend(indicateurs.revisions.iter().map(|r| r.probleme.clone()));
    liste
}

fn resumer_entrees(journal: &Journal, entrees: &Entrees) {
    for t in &entrees.tables {
        let lecture = match &t.feuille {
            Some(f) => format!("feuille « {f} »"),
            None => format!(
                "{}, séparateur « {} »",
                t.encodage.libelle(),
                if t.separateur == b'\t' {
                    "tabulation".to_string()
                } else {
                    (t.separateur as char).to_string()
                }
            ),
        };
        journal.detail(format!(
            "{} : {}, {lecture}",
            t.fichier.display(),
            match t.lignes() {
                Some(n) => format!("{n} lignes"),
                None => "lu en flux".to_string(),
            },
        ));
    }
}

/// Steps of a run, for the progress bar, besides one per département.
const ETAPES_PRODUIRE: u64 = 5;

/// The départements a run writes annexes for, in COG order.
pub fn departements(reglages: &Reglages, entrees: &Entrees) -> Resultat<Vec<String>> {
    match &reglages.selection {
        Selection::Configure => Ok(vec![reglages.conseil.departement.clone()]),
        Selection::Liste(codes) => Ok(codes.clone()),
        Selection::Tous => {
            let trouves = entrees
                .demandeurs
                .mesures
                .clone()
                .lazy()
                .filter(
                    col(NIVEAU)
                        .eq(lit(niveaux::DEPARTEMENT))
                        .and(col(PERIODE).eq(lit(reglages.conseil.periode.index()))),
                )
                .select([col(CODE).unique()])
                .collect()?;
            let trouves = crate::modele::textes(&trouves, CODE)?;
            let codes: Vec<String> = departements::COG
                .iter()
                .filter(|d| trouves.iter().any(|t| t == d.code))
                .map(|d| d.code.to_string())
                .collect();
            if codes.is_empty() {
                let fichier = reglages
                    .entrees
                    .demandeurs
                    .first()
                    .cloned()
                    .unwrap_or_default();
                return Err(Erreur::Donnees(vec![Probleme::new(
                    &fichier,
                    format!(
                        "aucune ligne « departement » d'un département du COG pour la période {}",
                        reglages.conseil.periode
                    ),
                )
                .attendu(format!(
                    "des lignes {};departement;<code>;…",
                    reglages.conseil.periode
                ))]));
            }
            Ok(codes)
        }
    }
}

/// One département's figures and documents.
struct Annexe {
    indicateurs: Indicateurs,
    /// What `indicateurs.csv` publishes of the département.
    publiees: DataFrame,
    fichiers: Vec<PathBuf>,
    /// What its writing found missing (said by the first staging only).
    avertissements: Vec<Probleme>,
}

/// `travail` for every département of `codes`, with its settings, its cut
/// of the inputs and its indicators, in parallel across the cores; every
/// problem of every département is reported (each once), not the first.
fn par_departement<T: Send>(
    reglages: &Reglages,
    entrees: &Entrees,
    codes: &[String],
    journal: &Journal,
    travail: impl Fn(&Reglages, &Entrees, Indicateurs) -> Resultat<T> + Sync,
) -> Resultat<Vec<T>> {
    // Checked once on the national inputs: cut by département, a QPV
    // unknown to the referential would belong to none.
    let mut problemes: Vec<Probleme> =
        match demandeurs::verifier_qpv_connus(&entrees.demandeurs, &entrees.referentiel) {
            Ok(()) => Vec::new(),
            Err(Erreur::Donnees(p)) => p,
            Err(e) => return Err(e),
        };
    let marquees = marquer(entrees, codes, &reglages.departement_configure)?;
    let reglages_des_departements: Vec<Reglages> =
        codes.iter().map(|c| reglages.pour_departement(c)).collect();
    let coupes = decouper(entrees, &marquees, codes)?;
    let debut = Instant::now();
    let indicateurs = calculer(
        reglages,
        entrees,
        &marquees,
        &reglages_des_departements,
        &coupes,
    )?;
    journal.detail(format!(
        "calcul des indicateurs, {} département(s) ensemble : {}",
        codes.len(),
        format::duree(debut.elapsed())
    ));
    let parts: Vec<(Reglages, Entrees, Result<Indicateurs, Vec<Probleme>>)> =
        reglages_des_departements
            .into_iter()
            .zip(coupes)
            .zip(indicateurs)
            .map(|((s, e), i)| (s, e, i))
            .collect();
    let resultats = en_parallele(&parts, |(s, entrees, indicateurs)| match indicateurs {
        Ok(i) => travail(s, entrees, i.clone()),
        Err(p) => Err(Erreur::Donnees(p.clone())),
    })?;
    let mut sortie = Vec::with_capacity(resultats.len());
    for r in resultats {
        match r {
            Ok(t) => sortie.push(t),
            Err(Erreur::Donnees(p)) => {
                // The same national input problem is found by every
                // département that reads it: said once.
                for p in p {
                    if !problemes.iter().any(|q| q.to_string() == p.to_string()) {
                        problemes.push(p);
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
    if problemes.is_empty() {
        Ok(sortie)
    } else {
        Err(Erreur::Donnees(problemes))
    }
}

/// An earlier published report: its quarter, the evolution tying it to
/// this report, its rows.
type RapportAnterieur = (Periode, &'static str, Vec<LignePubliee>);

/// The published reports of the quarters this report's evolutions reach
/// (the quarter before, the same quarter a year before), each read once,
/// with the evolution that ties it to this one.
fn publies_avant(reglages: &Reglages) -> Resultat<Vec<RapportAnterieur>> {
    let evolutions = [
        mesures::EVOLUTION_TRIMESTRIELLE,
        mesures::EVOLUTION_ANNUELLE,
    ];
    Chemins::new(reglages)
        .precedents()
        .into_iter()
        .zip(evolutions)
        .filter(|((_, chemin), _)| chemin.is_file())
        .map(|((periode, chemin), mesure)| Ok((periode, mesure, publie::lire(&chemin)?)))
        .collect()
}

/// The counts earlier published reports masked, by the evolution that
/// would tie this report's counts to them: those evolutions stay masked.
/// Nothing for an internal report (nothing is masked).
fn masquees_avant(
    reglages: &Reglages,
    publies: &[RapportAnterieur],
) -> Vec<(&'static str, Vec<String>)> {
    if reglages.interne {
        return Vec::new();
    }
    publies
        .iter()
        .map(|(periode, mesure, lignes)| (*mesure, publie::masquees(lignes, &periode.to_string())))
        .collect()
}

/// The previous quarter's published report, its département-level rows
/// (not the funding ones), when it exists.
fn annexe_precedente(publies: &[RapportAnterieur]) -> Option<(Periode, Vec<&LignePubliee>)> {
    let (periode, _, lignes) = publies
        .iter()
        .find(|(_, mesure, _)| *mesure == mesures::EVOLUTION_TRIMESTRIELLE)?;
    let lignes = lignes
        .iter()
        .filter(|l| l.niveau == niveaux::DEPARTEMENT && l.dispositif.is_none())
        .collect();
    Some((*periode, lignes))
}

/// The rows of `precedente` about département `code`.
fn du_departement(
    precedente: &(Periode, Vec<&LignePubliee>),
    code: &str,
) -> indicateurs::AnnexePrecedente {
    let (periode, lignes) = precedente;
    indicateurs::AnnexePrecedente {
        periode: *periode,
        chiffres: lignes
            .iter()
            .filter(|l| l.code == code)
            .map(|l| indicateurs::ChiffrePrecedent {
                periode: l.periode.clone(),
                indicateur: l.indicateur.clone(),
                mesure: l.mesure.clone(),
                valeur: l.valeur,
                statut: Statut::depuis_code_csv(l.statut.as_deref()),
            })
            .collect(),
    }
}

/// The open-data file of the funding granted, when `[donnees_ouvertes]`
/// names the grantor and the département has registers, and the warning
/// on the granted subsidies left out for a missing field.
fn donnees_ouvertes(
    reglages: &Reglages,
    indicateurs: &Indicateurs,
    sorties: &Fichiers,
) -> Resultat<(Option<PathBuf>, Vec<Probleme>)> {
    let (Some(attribuant), Some(dossiers)) = (&reglages.donnees_ouvertes, &indicateurs.dossiers)
    else {
        return Ok((None, Vec::new()));
    };
    let chemin = sorties.subventions(&reglages.conseil.departement);
    let bilan = rendu::subventions::ecrire(dossiers, attribuant, &chemin)?;
    let manque = "sans porteur, montant, date de décision ou date de versement";
    let avertissement = match bilan.incomplets {
        0 => None,
        1 => Some(format!("1 subvention accordée {manque} n'y figure pas")),
        n => Some(format!(
            "{n} subventions accordées {manque} n'y figurent pas"
        )),
    };
    let avertissements = avertissement
        // Named by its name: the staging folder is gone once published.
        .map(|a| {
            Probleme::new(
                std::path::Path::new(chemin.file_name().unwrap_or_default()),
                a,
            )
        })
        .into_iter()
        .collect();
    Ok((Some(chemin), avertissements))
}

/// Computes and writes every département's annex, each document marked
/// with its version in `versions`.
fn annexes(
    reglages: &Reglages,
    entrees: &Entrees,
    codes: &[String],
    (sorties, versions): (&Fichiers, &Versions),
    journal: &Journal,
) -> Resultat<Vec<Annexe>> {
    // Where the time goes, summed over the threads (`-v`).
    let temps_documents = AtomicU64::new(0);
    let publies = publies_avant(reglages)?;
    let masquees_avant = masquees_avant(reglages, &publies);
    let precedente = annexe_precedente(&publies);
    let annexes = par_departement(reglages, entrees, codes, journal, |s, coupe, i| {
        // What the documents need of the département's structure, on its
        // worker thread; `validate` does without.
        let mut indicateurs =
            indicateurs::completer(i, coupe, &s.conseil.departement, s.conseil.periode)?;
        for (mesure, masquees) in &masquees_avant {
            indicateurs.masquer_evolutions(masquees, mesure)?;
        }
        indicateurs.annexe_precedente = precedente
            .as_ref()
            .map(|p| du_departement(p, &s.conseil.departement));
        let debut = Instant::now();
        let mut fichiers = rendu::ecrire_departement(s, &indicateurs, sorties, versions)?;
        temps_documents.fetch_add(debut.elapsed().as_micros() as u64, Ordering::Relaxed);
        journal.avancer(&s.conseil.departement, fichiers.len());
        let (ouvertes, avertissements) = donnees_ouvertes(s, &indicateurs, sorties)?;
        fichiers.extend(ouvertes);
        let publiees = indicateurs.a_publier(&s.conseil.departement, s.conseil.periode)?;
        Ok(Annexe {
            indicateurs,
            publiees,
            fichiers,
            avertissements,
        })
    });
    journal.detail(format!(
        "écriture des documents, temps cumulé sur les fils : {}",
        format::duree(std::time::Duration::from_micros(
            temps_documents.load(Ordering::Relaxed)
        ))
    ));
    annexes
}

/// What a run reads, once: its inputs, their hashes, the départements.
struct Lu {
    entrees: Entrees,
    empreintes: manifeste::Empreintes,
    codes: Vec<String>,
    /// Documents a staging writes.
    documents: u64,
}

impl Lu {
    /// Writes the history of the job-seeker quarters read to `chemin`.
    fn ecrire_historique(&self, chemin: &std::path::Path) -> Resultat<()> {
        historique::ecrire(
            &self.entrees.demandeurs,
            &self.entrees.tables,
            &self.empreintes,
            chemin,
        )
    }
}

/// Stages the whole report in `sorties`, its documents marked with
/// `versions`: annexes, `indicateurs.csv`, manifest. Returns its files and
/// its number of indicators. The inputs' warnings are said by the first
/// staging only (`premiere`).
fn preparer(
    reglages: &Reglages,
    lu: &Lu,
    (sorties, versions, premiere): (&Fichiers, &Versions, bool),
    journal: &Journal,
) -> Resultat<(Vec<PathBuf>, usize)> {
    journal.allonger(lu.documents);
    journal.etape("calcul et écriture des annexes");
    let annexes = annexes(
        reglages,
        &lu.entrees,
        &lu.codes,
        (sorties, versions),
        journal,
    )?;
    if premiere {
        annoncer_avertissements(journal, &lu.entrees, annexes.iter().map(|a| &a.indicateurs));
        for a in annexes.iter().flat_map(|a| &a.avertissements) {
            journal.avertissement(a);
        }
    }
    journal.etape("indicateurs.csv et manifeste");
    let mut bilans = std::collections::BTreeMap::new();
    for (famille, b) in annexes.iter().flat_map(|a| &a.indicateurs.secret) {
        *bilans.entry(*famille).or_default() += *b;
    }
    let nb_indicateurs: usize = annexes.iter().map(|a| a.indicateurs.table.height()).sum();
    let csv = sorties.indicateurs();
    rendu::csv::ecrire(&empiler(annexes.iter().map(|a| &a.publiees))?, &csv)?;
    let mut fichiers = vec![csv];
    fichiers.extend(annexes.into_iter().flat_map(|a| a.fichiers));
    fichiers.push(manifeste::ecrire(
        reglages,
        (&lu.entrees.tables, &lu.empreintes, &bilans),
        (&fichiers, versions),
        sorties,
    )?);
    for f in &fichiers {
        journal.detail(format!(
            "écrit : {}",
            f.file_name().unwrap_or_default().to_string_lossy()
        ));
    }
    Ok((fichiers, nb_indicateurs))
}

/// Writes the report of the council's period and publishes it.
pub fn ecrire_rapport(reglages: &Reglages, journal: &Journal) -> Resultat<PathBuf> {
    let chemins = Chemins::new(reglages);
    let publication = Publication::ouvrir(&chemins, reglages.remplacer)?;
    let sorties = chemins.dans(&publication.chantier);
    journal.etape("lecture des exports");
    let passe = chemins.historique();
    let entrees = lire_entrees(&reglages.entrees, Some(&passe))?;
    resumer_entrees(journal, &entrees);
    let codes = departements(reglages, &entrees)?;
    let documents = indicateurs::territoires::nombre_de_documents(
        &entrees.referentiel,
        reglages.conseil.periode,
        &codes,
    )?;
    journal.detail(format!("documents à écrire : {documents}"));
    let lu = Lu {
        empreintes: manifeste::empreintes_des_entrees(&entrees.tables)?,
        entrees,
        codes,
        documents,
    };
    // The documents first carry the marks of the published ones: the same
    // bytes when nothing changed.
    let versions = Versions::du_manifeste(&chemins.dans(&publication.cible).manifeste())?;
    let (mut fichiers, mut nb_indicateurs) =
        preparer(reglages, &lu, (&sorties, &versions, true), journal)?;
    pause_de_diagnostic();
    journal.etape("audit du secret statistique");
    auditer_avant_publication(reglages, &lu.entrees, &sorties.indicateurs(), journal)?;
    journal.etape("publication");
    match deja_publie(reglages, &chemins, &publication, journal)? {
        Etat::AJour => {
            // Nothing rewritten, the history only made if missing.
            if !passe.exists() {
                lu.ecrire_historique(&passe)?;
            }
            journal.terminer();
            return Ok(publication.cible.clone());
        }
        Etat::Nouveau => {}
        Etat::Rectifie(changes) => {
            // Staged again, the changed documents marked with the new
            // version (the figures are the same: audited above).
            let nouvelle = Rectification {
                numero: versions.suivante(),
                date: reglages.date_rectificative.unwrap_or_else(Date::aujourdhui),
            };
            journal.info(format!(
                "{} : {} fichier(s) changent ; la version publiée est archivée dans {}.",
                nouvelle.libelle(),
                changes.len(),
                publication.archive.display()
            ));
            (fichiers, nb_indicateurs) = preparer(
                reglages,
                &lu,
                (&sorties, &versions.rectifier(&changes, nouvelle), false),
                journal,
            )?;
        }
    }
    let dossier = publication.publier()?;
    lu.ecrire_historique(&passe)?;
    journal.terminer();
    journal.info(format!(
        "Rapport {} écrit dans {} ({} département(s), {} fichiers, {} indicateurs).",
        chemins.nom_rapport(),
        dossier.display(),
        lu.codes.len(),
        fichiers.len(),
        nb_indicateurs
    ));
    Ok(dossier)
}

/// What to do with a staged report, given the published one.
enum Etat {
    /// Nothing published for the quarter: publish.
    Nouveau,
    /// The same documents are published: nothing to do.
    AJour,
    /// `--force` and these files (relative to the report) differ: publish a
    /// version rectificative.
    Rectifie(Vec<PathBuf>),
}

/// A report of this quarter already published: [`Etat::AJour`] when the
/// staged one is the same (every file but the manifest identical); an error
/// listing what would change when it differs and `--force` was not given.
fn deja_publie(
    reglages: &Reglages,
    chemins: &Chemins,
    publication: &Publication,
    journal: &Journal,
) -> Resultat<Etat> {
    use crate::rapport::comparaison::{chiffres_differents, fichiers_differents};
    let publie = &publication.cible;
    if !publie.is_dir() {
        return Ok(Etat::Nouveau);
    }
    let (ancien, nouveau) = (chemins.dans(publie), chemins.dans(&publication.chantier));
    let manifeste = nouveau.manifeste();
    let nom_manifeste = manifeste
        .strip_prefix(&publication.chantier)
        .unwrap_or(&manifeste);
    let differents = fichiers_differents(publie, &publication.chantier, nom_manifeste)?;
    if differents.is_empty() {
        journal.info(format!(
            "Rapport {} à jour : mêmes documents, rien n'est réécrit.",
            chemins.nom_rapport()
        ));
        return Ok(Etat::AJour);
    }
    if reglages.remplacer {
        return Ok(Etat::Rectifie(differents));
    }
    let mut changements = chiffres_differents(&ancien.indicateurs(), &nouveau.indicateurs())?;
    if changements.is_empty() {
        changements = differents.iter().map(|f| f.display().to_string()).collect();
    }
    Err(Erreur::RapportModifie {
        rapport: publie.display().to_string(),
        fichiers: differents.len(),
        changements,
    })
}

/// The attacker's audit of the staged report: an error naming every
/// masked count it gives away, and then nothing is published (the staging
/// folder goes with the error). An internal report masks nothing: not
/// audited, and said so.
fn auditer_avant_publication(
    reglages: &Reglages,
    entrees: &Entrees,
    csv: &std::path::Path,
    journal: &Journal,
) -> Resultat<()> {
    if reglages.interne {
        journal.info(
            "Rapport interne : sans secret statistique, il n'est pas audité (non diffusable).",
        );
        return Ok(());
    }
    let divulgations = audit_du_rapport(reglages, csv, &entrees.referentiel)?;
    if divulgations.is_empty() {
        return Ok(());
    }
    Err(Erreur::SecretRompu {
        divulgations: divulgations.iter().map(|d| d.to_string()).collect(),
        publie: false,
    })
}

/// The disclosures of the report of the period whose `indicateurs.csv`
/// is `csv`, read with the published reports of the quarter before and
/// of the same quarter a year before when they are under the reports
/// folder.
fn audit_du_rapport(
    reglages: &Reglages,
    csv: &std::path::Path,
    referentiel: &crate::modele::Referentiel,
) -> Resultat<Vec<crate::rapport::audit::Divulgation>> {
    use crate::rapport::audit::{auditer, RapportLu};
    let precedents: Vec<_> = Chemins::new(reglages)
        .precedents()
        .into_iter()
        .filter(|(_, chemin)| chemin.is_file())
        .collect();
    // Even with nothing masked, an unpublished complement (a part outside
    // QPV) may be a small count that the published figures give away.
    let rapport = RapportLu::lire(csv, reglages.conseil.periode)?;
    let precedents = precedents
        .iter()
        .map(|(periode, chemin)| RapportLu::lire(chemin, *periode))
        .collect::<Resultat<Vec<_>>>()?;
    auditer(&rapport, &precedents, referentiel, reglages.seuil_secret)
}

/// `QPV_ANNEXE_PAUSE_MS`: waits that long once the report is staged and
/// before it is audited and published. For testing that an interrupted run publishes
/// nothing (and for watching the staging folder); unset in production.
fn pause_de_diagnostic() {
    if let Some(ms) = std::env::var("QPV_ANNEXE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Checks everything a run would read, writes nothing; says what it found.
pub fn valider(reglages: &Reglages, journal: &Journal) -> Resultat<()> {
    journal.etape("lecture des exports");
    let passe = Chemins::new(reglages).historique();
    let entrees = lire_entrees(&reglages.entrees, Some(&passe))?;
    resumer_entrees(journal, &entrees);
    journal.etape("calcul des indicateurs");
    let codes = departements(reglages, &entrees)?;
    let calcules = par_departement(reglages, &entrees, &codes, journal, |_, _, i| Ok(i))?;
    journal.terminer();
    let nb_avertissements = annoncer_avertissements(journal, &entrees, calcules.iter());
    let table = une_table(calcules.iter())?;
    let lignes: usize = entrees.tables.iter().filter_map(TableBrute::lignes).sum();
    let en_flux = entrees
        .tables
        .iter()
        .filter(|t| t.lignes().is_none())
        .count();
    let lignes = match en_flux {
        0 => format!("{lignes} lignes de données"),
        n => format!("{lignes} lignes de données hors {n} export(s) détaillé(s) lu(s) en flux"),
    };
    let periodes = entrees
        .demandeurs
        .mesures
        .clone()
        .lazy()
        .select([col(PERIODE).unique().sort(Default::default())])
        .collect()?;
    let periodes: Vec<String> = periodes
        .column(PERIODE)?
        .i32()?
        .iter()
        .flatten()
        .map(|p| Periode::depuis_index(p).to_string())
        .collect();
    let territoires = table
        .clone()
        .lazy()
        .group_by([col(NIVEAU)])
        .agg([col(CODE).n_unique().alias("n")])
        .collect()?;
    let compte = |niveau: &str| -> usize {
        let (niveaux_c, n) = (
            territoires.column(NIVEAU).ok(),
            territoires.column("n").ok(),
        );
        match (
            niveaux_c.and_then(|c| c.str().ok()),
            n.and_then(|c| c.cast(&DataType::UInt32).ok()),
        ) {
            (Some(niv), Some(n)) => niv
                .iter()
                .position(|v| v == Some(niveau))
                .and_then(|i| n.u32().ok().and_then(|n| n.get(i)))
                .unwrap_or(0) as usize,
            _ => 0,
        }
    };
    journal.info(format!(
        "Entrées valides : {} fichiers, {} ; périodes {} ; pour {} : {} EPT, {} EPCI, {} communes, {} QPV ; {} indicateurs calculables pour {} ; {} avertissement(s), 0 erreur.",
        entrees.tables.len(),
        lignes,
        periodes.join(", "),
        if codes.len() > 3 {
            format!("{} départements", codes.len())
        } else {
            codes.join(", ")
        },
        compte(niveaux::EPT),
        compte(niveaux::EPCI),
        compte(niveaux::COMMUNE),
        compte(niveaux::QPV),
        table.height(),
        reglages.conseil.periode,
        nb_avertissements
    ));
    Ok(())
}

/// `run`: the report of the council's period, computed, written and
/// published; its folder.
pub fn produire(reglages: &Reglages, verbosite: Verbosite) -> Resultat<PathBuf> {
    // One run at a time on the reports folder, for the whole run.
    let _verrou = Verrou::prendre(&reglages.dossier_rapports, reglages.attendre)?;
    let journal = Journal::new(verbosite, ETAPES_PRODUIRE);
    let resultat = ecrire_rapport(reglages, &journal);
    journal.terminer();
    resultat
}

/// `validate`: every input checked, nothing written.
pub fn verifier(reglages: &Reglages, verbosite: Verbosite) -> Resultat<()> {
    let journal = Journal::new(verbosite, 2);
    let resultat = valider(reglages, &journal);
    journal.terminer();
    if let Err(Erreur::Donnees(p)) = &resultat {
        journal.info(format!("Entrées invalides : {} erreur(s).", p.len()));
    }
    resultat
}

/// `audit`: the published report of the period audited as an attacker
/// would; an error naming every masked count it gives away.
pub fn auditer(reglages: &Reglages, verbosite: Verbosite) -> Resultat<()> {
    let journal = Journal::sans_barre(verbosite);
    let chemins = Chemins::new(reglages);
    let dossier = chemins.rapport();
    let csv = chemins.dans(&dossier).indicateurs();
    if !csv.is_file() {
        return Err(Erreur::Usage(format!(
            "aucun rapport publié dans {} : lancez d'abord « qpv-annexe run »",
            dossier.display()
        )));
    }
    let (referentiel, _) = crate::lecture::referentiel::lire(
        &reglages.entrees.referentiel,
        &reglages.entrees.compositions,
    )?;
    let divulgations = audit_du_rapport(reglages, &csv, &referentiel)?;
    if !divulgations.is_empty() {
        return Err(Erreur::SecretRompu {
            divulgations: divulgations.iter().map(|d| d.to_string()).collect(),
            publie: true,
        });
    }
    journal.info(format!(
        "Audit du rapport {} : aucun chiffre masqué ne se déduit des chiffres publiés (seuil {}).",
        dossier.display(),
        reglages.seuil_secret
    ));
    Ok(())
}

/// `send`: each commune's message prepared, and sent with `--smtp`.
pub fn envoyer(reglages: &Reglages, options: OptionsEnvoi, verbosite: Verbosite) -> Resultat<()> {
    // The send log and the reports, against a run or another send.
    let _verrou = Verrou::prendre(&reglages.dossier_rapports, reglages.attendre)?;
    crate::envoi::envoyer(reglages, options, &Journal::sans_barre(verbosite))
}

/// `run` and `validate` without a period: the latest quarter for which the
/// job-seeker exports have the row of the run's départements (of any
/// département for `--departements all`), said.
pub fn periode_des_exports(r: &Recherche, verbosite: Verbosite) -> Resultat<Periode> {
    let e = r.entrees;
    let (demandeurs, _) = crate::lecture::demandeurs::lire(crate::lecture::demandeurs::Sources {
        agreges: &e.demandeurs,
        details: &e.demandeurs_detail,
        dares: &e.dares,
        historique: None,
    })?;
    let mut ligne = col(NIVEAU).eq(lit(niveaux::DEPARTEMENT));
    if !r.departements.is_empty() {
        let codes: Vec<&str> = r.departements.iter().map(String::as_str).collect();
        ligne = ligne.and(crate::lecture::valeurs::parmi(col(CODE), &codes));
    }
    let derniere = demandeurs
        .mesures
        .lazy()
        .filter(ligne)
        .select([col(PERIODE).max()])
        .collect()?;
    let index = derniere.column(PERIODE)?.i32()?.get(0);
    let Some(periode) = index.map(Periode::depuis_index) else {
        let fichier = e.demandeurs.first().cloned().unwrap_or_default();
        return Err(Erreur::Donnees(vec![Probleme::new(
            &fichier,
            format!(
                "aucune ligne « departement » pour {} dans les exports des demandeurs d'emploi",
                r.departements.join(", ")
            ),
        )
        .attendu("une ligne <trimestre>;departement;<code>;… ou [conseil] periode = \"2020T4\" dans conseil.toml, ou --periode")]));
    };
    Journal::sans_barre(verbosite).info(format!(
        "Trimestre traité : {} ({periode}), le dernier des exports des demandeurs d'emploi.",
        periode.libelle_long()
    ));
    Ok(periode)
}

/// `send` and `audit` without a period: the latest published report.
pub fn periode_publiee(r: &Recherche, verbosite: Verbosite) -> Resultat<Periode> {
    let periode =
        Chemins::derniere_publication(r.dossier_rapports, r.interne).ok_or_else(|| {
            Erreur::Usage(format!(
            "aucun rapport publié dans {} : lancez d'abord « qpv-annexe run », ou donnez --periode",
            r.dossier_rapports.display()
        ))
        })?;
    Journal::sans_barre(verbosite).info(format!(
        "Trimestre : {} ({periode}), le dernier rapport publié.",
        periode.libelle_long()
    ));
    Ok(periode)
}
