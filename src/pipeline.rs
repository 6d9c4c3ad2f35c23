//! ingest → model → indicators → render → publish, one step each.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use polars::prelude::*;

use crate::cli::{Commande, Verbosite};
use crate::error::{Erreur, Probleme, Resultat};
use crate::indicators::{demandeurs, financements, missions_locales, Demande, Indicateurs};
use crate::ingest::{self, TableBrute};
use crate::model::colonnes::{CODE, DEPARTEMENT_LIGNE, NIVEAU, PERIODE};
use crate::model::departements::{self, Parts};
use crate::model::{niveaux, Periode};
use crate::model::{DemandeursEmploi, Financements, MissionsLocales, Referentiel};
use crate::parallele::en_parallele;
use crate::publish::Publication;
use crate::settings::{Selection, Settings};
use crate::{manifest, render};

/// The run's messages on stderr, in French, and a progress bar over its
/// steps when stderr is a terminal (none under cron or in a pipe).
pub struct Journal {
    pub verbosite: Verbosite,
    barre: ProgressBar,
    /// The step under way and when it began (its duration is said at `-v`).
    en_cours: Mutex<Option<(&'static str, Instant)>>,
}

impl Journal {
    pub fn new(verbosite: Verbosite, etapes: u64) -> Journal {
        let barre = if verbosite == Verbosite::Silencieux {
            ProgressBar::hidden()
        } else {
            // indicatif draws nothing when stderr is not a terminal.
            ProgressBar::with_draw_target(Some(etapes), ProgressDrawTarget::stderr())
        };
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            barre.set_style(style);
        }
        Journal {
            verbosite,
            barre,
            en_cours: Mutex::new(None),
        }
    }

    /// Messages only: for commands whose steps are not worth a bar.
    pub fn sans_barre(verbosite: Verbosite) -> Journal {
        Journal {
            verbosite,
            barre: ProgressBar::hidden(),
            en_cours: Mutex::new(None),
        }
    }

    fn ecrire(&self, ligne: String) {
        if self.barre.is_hidden() {
            eprintln!("{ligne}");
        } else {
            self.barre.println(ligne);
        }
    }

    pub fn info(&self, message: impl AsRef<str>) {
        if self.verbosite >= Verbosite::Normal {
            self.ecrire(message.as_ref().to_string());
        }
    }

    pub fn detail(&self, message: impl AsRef<str>) {
        if self.verbosite >= Verbosite::Detaille {
            self.ecrire(format!("  {}", message.as_ref()));
        }
    }

    pub fn avertissement(&self, p: &Probleme) {
        if self.verbosite >= Verbosite::Normal {
            self.ecrire(format!("avertissement : {p}"));
        }
    }

    /// A step of the run begins.
    pub fn etape(&self, libelle: &'static str) {
        self.fin_d_etape(Some(libelle));
        self.barre.set_message(libelle);
        self.barre.inc(1);
    }

    /// Says how long the step under way took; `suivante` begins.
    fn fin_d_etape(&self, suivante: Option<&'static str>) {
        let Ok(mut en_cours) = self.en_cours.lock() else {
            return;
        };
        if let Some((libelle, debut)) = en_cours.take() {
            self.detail(format!(
                "{libelle} : {}",
                crate::render::format::duree(debut.elapsed())
            ));
        }
        *en_cours = suivante.map(|l| (l, Instant::now()));
    }

    /// The bar also counts the `n` documents a run writes.
    pub fn allonger(&self, n: u64) {
        self.barre.inc_length(n);
    }

    /// A département's annex and communes' documents, `documents` files,
    /// are written (from any thread).
    pub fn avancer(&self, departement: &str, documents: usize) {
        self.barre
            .set_message(format!("annexe {departement} écrite"));
        self.barre.inc(documents as u64);
    }

    pub fn terminer(&self) {
        self.fin_d_etape(None);
        self.barre.finish_and_clear();
    }
}

/// The inputs, read and checked.
pub struct Entrees {
    pub referentiel: Referentiel,
    pub demandeurs: DemandeursEmploi,
    /// Optional sources.
    pub missions_locales: Option<MissionsLocales>,
    pub financements: Option<Financements>,
    pub tables: Vec<TableBrute>,
}

impl Entrees {
    /// The national inputs with the département each row belongs to
    /// ([`DEPARTEMENT_LIGNE`]), for the départements of `codes`: a QPV row
    /// goes to each département of its communes (an intercommunal QPV with
    /// every commune of it), communes, EPT and département rows to theirs,
    /// funding dossiers and missions locales to theirs; rows without
    /// département (a dossier without commune, a missions locales export
    /// without `departement` column) go to the département of
    /// `conseil.toml`. One pass per table for the whole country; every
    /// table keeps the national rows' order, so that a département gives
    /// the same figures alone or in a national run.
    pub fn marquer(&self, codes: &[String], configure: &str) -> Resultat<Marquees> {
        let dep = departements::expr_departement;
        let demandes = Series::new(DEP.into(), codes);
        let retenus =
            |lf: LazyFrame| lf.filter(col(DEP).is_in(lit(demandes.clone()).implode(false), false));
        let lignes = self.referentiel.lignes.clone().lazy();
        // A QPV belongs to the département of each of its communes.
        let qpv_deps = lignes
            .clone()
            .select([col("code_qpv"), dep(col("code_commune")).alias(DEP)])
            .filter(col(DEP).is_not_null())
            .unique_stable(None, UniqueKeepStrategy::First);
        let referentiel = retenus(lignes.join(
            qpv_deps.clone(),
            [col("code_qpv")],
            [col("code_qpv")],
            dans_l_ordre(JoinType::Inner),
        ))
        .collect()?;
        let ept_deps = self
            .referentiel
            .communes_ept()?
            .filter(col("code_ept").is_not_null())
            .select([
                lit(niveaux::EPT).alias("_niveau"),
                col("code_ept").alias("_code"),
                dep(col("code_commune")).alias(DEP),
            ]);
        let territoires = concat(
            [
                qpv_deps.select([
                    lit(niveaux::QPV).alias("_niveau"),
                    col("code_qpv").alias("_code"),
                    col(DEP),
                ]),
                ept_deps,
            ],
            UnionArgs::default(),
        )?
        .filter(col(DEP).is_not_null())
        .unique_stable(None, UniqueKeepStrategy::First)
        .rename(
            ["_niveau", "_code", DEP],
            ["_niveau", "_code", "_dep_territoire"],
            true,
        );
        let niveau = || col(NIVEAU);
        let mesures = retenus(
            self.demandeurs
                .mesures
                .clone()
                .lazy()
                .join(
                    territoires,
                    [col(NIVEAU), col(CODE)],
                    [col("_niveau"), col("_code")],
                    dans_l_ordre(JoinType::Left),
                )
                .with_column(
                    when(
                        niveau()
                            .eq(lit(niveaux::DEPARTEMENT))
                            .or(niveau().eq(lit(niveaux::ENSEMBLE_QPV))),
                    )
                    .then(col(CODE))
                    .when(niveau().eq(lit(niveaux::COMMUNE)))
                    .then(dep(col(CODE)))
                    .otherwise(col("_dep_territoire"))
                    .alias(DEP),
                )
                .drop(by_name(["_dep_territoire"], true, false)),
        )
        .collect()?;
        let sans_departement = |c: Expr| c.fill_null(lit(configure)).alias(DEP);
        let financements = match &self.financements {
            Some(f) => Some(Financements {
                dossiers: retenus(
                    f.dossiers
                        .clone()
                        .lazy()
                        .with_column(sans_departement(dep(col("code_commune")))),
                )
                .collect()?,
                fichiers: f.fichiers.clone(),
            }),
            None => None,
        };
        let missions_locales = match &self.missions_locales {
            Some(ml) => {
                let avec = |df: &DataFrame| {
                    retenus(
                        df.clone()
                            .lazy()
                            .with_column(sans_departement(col("departement"))),
                    )
                    .collect()
                };
                Some(MissionsLocales {
                    mesures: avec(&ml.mesures)?,
                    objectifs: avec(&ml.objectifs)?,
                    ..ml.clone()
                })
            }
            None => None,
        };
        Ok(Marquees {
            referentiel: Referentiel {
                lignes: referentiel,
                composition_ept: self.referentiel.composition_ept.clone(),
            },
            demandeurs: DemandeursEmploi {
                mesures,
                ..self.demandeurs.clone()
            },
            financements,
            missions_locales,
        })
    }

    /// The inputs each département's annex reads, in the order of `codes`:
    /// the rows [`marquer`](Entrees::marquer) gave it.
    pub fn decouper(&self, marquees: &Marquees, codes: &[String]) -> Resultat<Vec<Entrees>> {
        let referentiel = Parts::new(&marquees.referentiel.lignes)?;
        let mesures = Parts::new(&marquees.demandeurs.mesures)?;
        let dossiers = match &marquees.financements {
            Some(f) => Some(Parts::new(&f.dossiers)?),
            None => None,
        };
        let ml = match &marquees.missions_locales {
            Some(ml) => Some((Parts::new(&ml.mesures)?, Parts::new(&ml.objectifs)?)),
            None => None,
        };
        Ok(codes
            .iter()
            .map(|code| Entrees {
                referentiel: Referentiel {
                    lignes: referentiel.de(code),
                    composition_ept: self.referentiel.composition_ept.clone(),
                },
                demandeurs: DemandeursEmploi {
                    mesures: mesures.de(code),
                    ..self.demandeurs.clone()
                },
                missions_locales: match (&ml, &self.missions_locales) {
                    (Some((m, o)), Some(national)) => {
                        let mesures = m.de(code);
                        (mesures.height() > 0).then(|| MissionsLocales {
                            mesures,
                            objectifs: o.de(code),
                            ..national.clone()
                        })
                    }
                    _ => None,
                },
                financements: match (&dossiers, &self.financements) {
                    (Some(d), Some(national)) => Some(Financements {
                        dossiers: d.de(code),
                        fichiers: national.fichiers.clone(),
                    }),
                    _ => None,
                },
                tables: self.tables.clone(),
            })
            .collect())
    }
}

/// The national inputs, each row marked with its département
/// ([`Entrees::marquer`]).
pub struct Marquees {
    pub referentiel: Referentiel,
    pub demandeurs: DemandeursEmploi,
    pub missions_locales: Option<MissionsLocales>,
    pub financements: Option<Financements>,
}

/// A join that keeps the left table's row order.
fn dans_l_ordre(how: JoinType) -> JoinArgs {
    JoinArgs {
        maintain_order: MaintainOrderJoin::Left,
        ..JoinArgs::new(how)
    }
}

/// The département column the cut adds to each national table.
const DEP: &str = DEPARTEMENT_LIGNE;

/// Keeps the data problems of one source so that those of the next ones
/// are found in the same run; any other error stops at once.
fn garder<T>(resultat: Resultat<T>, problemes: &mut Vec<Probleme>) -> Resultat<Option<T>> {
    match resultat {
        Ok(t) => Ok(Some(t)),
        Err(Erreur::Donnees(p)) => {
            problemes.extend(p);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

pub fn lire(settings: &Settings) -> Resultat<Entrees> {
    let e = &settings.entrees;
    let mut problemes = Vec::new();
    let referentiel = garder(
        ingest::referentiel::lire(&e.referentiel, &e.composition_ept),
        &mut problemes,
    )?;
    let demandeurs = garder(
        ingest::demandeurs::lire(ingest::demandeurs::Sources {
            agreges: &e.demandeurs,
            details: &e.demandeurs_detail,
            dares: &e.dares,
        }),
        &mut problemes,
    )?;
    let missions_locales = garder(
        ingest::missions_locales::lire(&e.missions_locales, &e.objectifs),
        &mut problemes,
    )?
    .flatten();
    let financements = match &referentiel {
        Some((r, _)) => garder(
            ingest::financements::lire(&e.financements, r),
            &mut problemes,
        )?
        .flatten(),
        None => None,
    };
    match (referentiel, demandeurs) {
        (Some((referentiel, mut tables)), Some((demandeurs, tables_de)))
            if problemes.is_empty() =>
        {
            tables.extend(tables_de);
            let missions_locales = missions_locales.map(|(ml, t)| {
                tables.extend(t);
                ml
            });
            let financements = financements.map(|(f, t)| {
                tables.extend(t);
                f
            });
            Ok(Entrees {
                referentiel,
                demandeurs,
                missions_locales,
                financements,
                tables,
            })
        }
        _ => Err(Erreur::Donnees(problemes)),
    }
}

/// The indicators of every département of `reglages` (their settings, in
/// the run's order; `coupes`, their cuts of the inputs), each family
/// computed for all of them at once on the marked inputs: each
/// département's figures, or the problems of its inputs that stop its
/// annex.
fn calculer(
    settings: &Settings,
    entrees: &Entrees,
    marquees: &Marquees,
    reglages: &[Settings],
    coupes: &[Entrees],
) -> Resultat<Vec<Result<Indicateurs, Vec<Probleme>>>> {
    let noms: Vec<(String, String)> = reglages
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
        periode: settings.conseil.periode,
        seuil_secret: settings.seuil_applique(),
    };
    let demandeurs = demandeurs::calculer(&marquees.demandeurs, &marquees.referentiel, &demande)?;
    let missions_locales = match &marquees.missions_locales {
        Some(ml) => Some(missions_locales::calculer(ml, &demande)?),
        None => None,
    };
    let financements = match &marquees.financements {
        Some(f) => Some(financements::calculer(f, &entrees.referentiel, &demande)?),
        None => None,
    };
    let mut resultats = Vec::with_capacity(noms.len());
    for (((code, _), coupe), d) in noms.iter().zip(coupes).zip(demandeurs) {
        let Ok(mut indicateurs) = d else {
            resultats.push(d);
            continue;
        };
        // The sections its cut of the inputs has (`decouper`).
        if let (Some((tables, structures)), Some(_)) = (&missions_locales, &coupe.missions_locales)
        {
            indicateurs.table.vstack_mut(&tables.de(code))?;
            indicateurs.ml_structures = Some(structures.de(code));
        }
        if let (Some(tables), Some(_)) = (&financements, &coupe.financements) {
            indicateurs.table.vstack_mut(&tables.de(code))?;
        }
        resultats.push(Ok(indicateurs));
    }
    Ok(resultats)
}

/// The départements' figures as one long table, in their order.
fn une_table<'a>(calcules: impl Iterator<Item = &'a Indicateurs>) -> PolarsResult<DataFrame> {
    let mut table: Option<DataFrame> = None;
    for i in calcules {
        match &mut table {
            Some(t) => {
                t.vstack_mut(&i.table)?;
            }
            None => table = Some(i.table.clone()),
        }
    }
    Ok(table.unwrap_or_default())
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
    liste.extend(indicateurs.avertissements.iter().cloned());
    liste
}

fn resumer_entrees(journal: &Journal, entrees: &Entrees) {
    for t in &entrees.tables {
        journal.detail(format!(
            "{} : {}, {}, séparateur « {} »",
            t.fichier.display(),
            match t.lignes() {
                Some(n) => format!("{n} lignes"),
                None => "lu en flux".to_string(),
            },
            t.encodage.libelle(),
            if t.separateur == b'\t' {
                "tabulation".to_string()
            } else {
                (t.separateur as char).to_string()
            }
        ));
    }
}

/// Steps of a run, for the progress bar, besides one per département.
const ETAPES_RUN: u64 = 4;

/// The départements a run writes annexes for, in COG order.
pub fn departements(settings: &Settings, entrees: &Entrees) -> Resultat<Vec<String>> {
    match &settings.selection {
        Selection::Configure => Ok(vec![settings.conseil.departement.clone()]),
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
                        .and(col(PERIODE).eq(lit(settings.conseil.periode.index()))),
                )
                .select([col(CODE).unique()])
                .collect()?;
            let trouves = crate::model::textes(&trouves, CODE)?;
            let codes: Vec<String> = departements::COG
                .iter()
                .filter(|d| trouves.iter().any(|t| t == d.code))
                .map(|d| d.code.to_string())
                .collect();
            if codes.is_empty() {
                let fichier = settings
                    .entrees
                    .demandeurs
                    .first()
                    .cloned()
                    .unwrap_or_default();
                return Err(Erreur::Donnees(vec![Probleme::new(
                    &fichier,
                    format!(
                        "aucune ligne « departement » d'un département du COG pour la période {}",
                        settings.conseil.periode
                    ),
                )
                .attendu(format!(
                    "des lignes {};departement;<code>;…",
                    settings.conseil.periode
                ))]));
            }
            Ok(codes)
        }
    }
}

/// One département's figures and documents.
struct Annexe {
    indicateurs: Indicateurs,
    fichiers: Vec<PathBuf>,
}

/// `travail` for every département of `codes`, with its settings, its cut
/// of the inputs and its indicators, in parallel across the cores; every
/// problem of every département is reported (each once), not the first.
fn par_departement<T: Send>(
    settings: &Settings,
    entrees: &Entrees,
    codes: &[String],
    journal: &Journal,
    travail: impl Fn(&Settings, &Entrees, Indicateurs) -> Resultat<T> + Sync,
) -> Resultat<Vec<T>> {
    // Checked once on the national inputs: cut by département, a QPV
    // unknown to the referential would belong to none.
    let mut problemes: Vec<Probleme> =
        match demandeurs::verifier_qpv_connus(&entrees.demandeurs, &entrees.referentiel) {
            Ok(()) => Vec::new(),
            Err(Erreur::Donnees(p)) => p,
            Err(e) => return Err(e),
        };
    let marquees = entrees.marquer(codes, &settings.departement_configure)?;
    let reglages: Vec<Settings> = codes.iter().map(|c| settings.pour_departement(c)).collect();
    let coupes = entrees.decouper(&marquees, codes)?;
    let debut = Instant::now();
    let indicateurs = calculer(settings, entrees, &marquees, &reglages, &coupes)?;
    journal.detail(format!(
        "calcul des indicateurs, {} département(s) ensemble : {}",
        codes.len(),
        render::format::duree(debut.elapsed())
    ));
    let parts: Vec<(Settings, Entrees, Result<Indicateurs, Vec<Probleme>>)> = reglages
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

/// Computes and writes every département's annex.
fn annexes(
    settings: &Settings,
    entrees: &Entrees,
    codes: &[String],
    dossier: &Path,
    journal: &Journal,
) -> Resultat<Vec<Annexe>> {
    // Where the time goes, summed over the threads (`-v`).
    let temps_documents = AtomicU64::new(0);
    let annexes = par_departement(
        settings,
        entrees,
        codes,
        journal,
        |s, entrees, indicateurs| {
            let debut = Instant::now();
            let fichiers = render::ecrire_departement(s, entrees, &indicateurs, dossier)?;
            temps_documents.fetch_add(debut.elapsed().as_micros() as u64, Ordering::Relaxed);
            journal.avancer(&s.conseil.departement, fichiers.len());
            Ok(Annexe {
                indicateurs,
                fichiers,
            })
        },
    );
    journal.detail(format!(
        "écriture des documents, temps cumulé sur les fils : {}",
        render::format::duree(std::time::Duration::from_micros(
            temps_documents.load(Ordering::Relaxed)
        ))
    ));
    annexes
}

/// Writes the report of the council's period and publishes it.
pub fn run(settings: &Settings, journal: &Journal) -> Resultat<PathBuf> {
    let nom = settings.nom_rapport();
    let publication = Publication::ouvrir(&settings.dossier_rapports, &nom, settings.remplacer)?;
    journal.etape("lecture des exports");
    let entrees = lire(settings)?;
    resumer_entrees(journal, &entrees);
    let codes = departements(settings, &entrees)?;
    let documents = render::communes::nombre_de_documents(
        &entrees.referentiel,
        settings.conseil.periode,
        &codes,
    )?;
    journal.detail(format!("documents à écrire : {documents}"));
    journal.allonger(documents);
    journal.etape("calcul et écriture des annexes");
    let annexes = annexes(settings, &entrees, &codes, &publication.chantier, journal)?;
    annoncer_avertissements(journal, &entrees, annexes.iter().map(|a| &a.indicateurs));
    journal.etape("indicateurs.csv et manifeste");
    let table = une_table(annexes.iter().map(|a| &a.indicateurs))?;
    let csv = publication
        .chantier
        .join(format!("indicateurs{}.csv", settings.suffixe()));
    render::csv::ecrire(&table, &csv)?;
    let mut fichiers = vec![csv];
    fichiers.extend(annexes.into_iter().flat_map(|a| a.fichiers));
    fichiers.push(manifest::ecrire(
        settings,
        &entrees.tables,
        &fichiers,
        &publication.chantier,
    )?);
    for f in &fichiers {
        journal.detail(format!(
            "écrit : {}",
            f.file_name().unwrap_or_default().to_string_lossy()
        ));
    }
    journal.etape("publication");
    pause_de_diagnostic();
    let dossier = publication.publier()?;
    journal.terminer();
    journal.info(format!(
        "Rapport {} écrit dans {} ({} département(s), {} fichiers, {} indicateurs).",
        nom,
        dossier.display(),
        codes.len(),
        fichiers.len(),
        table.height()
    ));
    Ok(dossier)
}

/// `QPV_ANNEXE_PAUSE_MS`: waits that long once the report is staged and
/// before it is published. For testing that an interrupted run publishes
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
pub fn valider(settings: &Settings, journal: &Journal) -> Resultat<()> {
    journal.etape("lecture des exports");
    let entrees = lire(settings)?;
    resumer_entrees(journal, &entrees);
    journal.etape("calcul des indicateurs");
    let codes = departements(settings, &entrees)?;
    let calcules = par_departement(settings, &entrees, &codes, journal, |_, _, i| Ok(i))?;
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
        "Entrées valides : {} fichiers, {} ; périodes {} ; pour {} : {} EPT, {} communes, {} QPV ; {} indicateurs calculables pour {} ; {} avertissement(s), 0 erreur.",
        entrees.tables.len(),
        lignes,
        periodes.join(", "),
        if codes.len() > 3 {
            format!("{} départements", codes.len())
        } else {
            codes.join(", ")
        },
        compte(niveaux::EPT),
        compte(niveaux::COMMUNE),
        compte(niveaux::QPV),
        table.height(),
        settings.conseil.periode,
        nb_avertissements
    ));
    Ok(())
}

pub fn executer(commande: &Commande) -> Resultat<()> {
    let settings = Settings::resoudre(&commande.options())?;
    match commande {
        Commande::Run(_) => {
            let journal = Journal::new(commande.verbosite(), ETAPES_RUN);
            let resultat = run(&settings, &journal).map(|_| ());
            journal.terminer();
            resultat
        }
        Commande::Validate(_) => {
            let journal = Journal::new(commande.verbosite(), 2);
            let resultat = valider(&settings, &journal);
            journal.terminer();
            if let Err(Erreur::Donnees(p)) = &resultat {
                journal.info(format!("Entrées invalides : {} erreur(s).", p.len()));
            }
            resultat
        }
        Commande::Send(a) => {
            let journal = Journal::sans_barre(commande.verbosite());
            crate::distribute::envoyer(
                &settings,
                crate::distribute::OptionsEnvoi {
                    smtp: a.smtp,
                    simulation: a.simulation,
                },
                &journal,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A QPV on two départements goes to both, with every commune of it;
    /// each level's rows go to their département, in the national order.
    #[test]
    fn le_decoupage_suit_les_departements_de_chaque_ligne() {
        let texte = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let lignes = df!(
            "code_qpv" => texte(&["QP092001", "QP092001", "QP092002", "QP093001"]),
            "code_commune" => texte(&["92004", "93001", "92024", "93005"]),
            "nom_commune" => texte(&["Asnières", "Aubervilliers", "Clichy", "Aulnay"]),
            "code_ept" => texte(&["T5", "T6", "T5", "T7"]),
            "nom_ept" => texte(&["T5", "T6", "T5", "T7"]),
        )
        .unwrap();
        let mesures = df!(
            NIVEAU => texte(&["departement", "departement", "commune", "commune", "qpv", "qpv", "qpv", "ept", "ept"]),
            CODE => texte(&["92", "93", "92004", "93005", "QP092001", "QP093001", "QP092002", "T5", "T6"]),
            "n" => [0u32, 1, 2, 3, 4, 5, 6, 7, 8],
        )
        .unwrap();
        let entrees = Entrees {
            referentiel: Referentiel {
                lignes,
                composition_ept: None,
            },
            demandeurs: DemandeursEmploi {
                mesures,
                publics: Vec::new(),
                fichiers: Vec::new(),
            },
            missions_locales: None,
            financements: None,
            tables: Vec::new(),
        };
        let codes = texte(&["92", "93", "94"]);
        let marquees = entrees.marquer(&codes, "92").unwrap();
        let parts = entrees.decouper(&marquees, &codes).unwrap();
        let colonne = |df: &DataFrame, c: &str| crate::model::textes(df, c).unwrap();
        let numeros = |df: &DataFrame| -> Vec<u32> {
            df.column("n")
                .unwrap()
                .u32()
                .unwrap()
                .into_no_null_iter()
                .collect()
        };
        // 92: its QPV (the intercommunal one with its Aubervilliers part).
        assert_eq!(
            colonne(&parts[0].referentiel.lignes, "code_commune"),
            ["92004", "93001", "92024"]
        );
        assert_eq!(numeros(&parts[0].demandeurs.mesures), [0, 2, 4, 6, 7]);
        // 93: the intercommunal QPV too, and the EPT of its part.
        assert_eq!(
            colonne(&parts[1].referentiel.lignes, "code_qpv"),
            ["QP092001", "QP092001", "QP093001"]
        );
        assert_eq!(numeros(&parts[1].demandeurs.mesures), [1, 3, 4, 5, 8]);
        // 94: nothing, with the same columns.
        assert_eq!(parts[2].demandeurs.mesures.height(), 0);
        assert_eq!(
            parts[2].demandeurs.mesures.get_column_names(),
            parts[0].demandeurs.mesures.get_column_names()
        );
    }
}
