//! Job-seeker indicators (DOMAIN.md, "Indicators"): counts at every level,
//! annual and quarterly evolutions, shares, and the concentration of QPV
//! demand in the three largest QPV.
//!
//! Every figure is first built for every quarter of the inputs as a count
//! ("effectif") per level, territory and indicator; evolutions and shares
//! are then joins of that one table with itself. A commune's QPV figures
//! are the sum of its QPV, or of their parts in it: an intercommunal QPV
//! given without parts makes them not available, never counted whole in
//! each commune.
//!
//! All the départements of a run are computed in the same queries
//! ([`Demande`]). A QPV on two départements has its rows once in each, so
//! each département sees exactly what it would see alone.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use super::coherence::{ecarts, Controle, Ecart};
use super::expressions::{avec_rang, plus_grave, preferer, ratio, somme, SansCse};
use super::protection::{proteger_demandeurs, Bilans};
use super::{colonnes_sortie, sans_details, Demande, Indicateurs};
use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::colonnes::*;
use crate::modele::departements::Parts;
use crate::modele::{
    mesures, niveaux, DemandeursEmploi, Periode, Referentiel, Statut, CONCENTRATION_TOP3, DE_ABC,
    SUFFIXE_QPV,
};
use crate::secret::tables::{self, Famille};

/// The département of each row.
const D: &str = DEPARTEMENT_LIGNE;

const EFF: [&str; 7] = [D, PERIODE, NIVEAU, CODE, INDICATEUR, VALEUR, STATUT];

fn cols(noms: &[&str]) -> Vec<Expr> {
    noms.iter().map(|c| col(*c)).collect()
}

fn st(s: Statut) -> Expr {
    lit(s.code()).cast(DataType::UInt32)
}

/// What the checks found for one département.
#[derive(Default)]
struct Constats {
    /// The council's quarter is not in its inputs: nothing else is said.
    periode_absente: Option<Probleme>,
    erreurs: Vec<Probleme>,
    avertissements: Vec<Probleme>,
}

/// The checks' findings, by département.
struct ConstatsParDepartement(HashMap<String, Constats>);

impl ConstatsParDepartement {
    fn new(codes: &[&str]) -> Self {
        ConstatsParDepartement(
            codes
                .iter()
                .map(|c| (c.to_string(), Constats::default()))
                .collect(),
        )
    }

    fn noter(&mut self, trouves: Vec<Ecart>) {
        for e in trouves {
            if let Some(c) = self.0.get_mut(&e.departement) {
                if e.erreur {
                    c.erreurs.push(e.probleme);
                } else {
                    c.avertissements.push(e.probleme);
                }
            }
        }
    }

    fn avertir(&mut self, departement: &str, p: Probleme) {
        if let Some(c) = self.0.get_mut(departement) {
            c.avertissements.push(p);
        }
    }

    fn retirer(&mut self, departement: &str) -> Constats {
        self.0.remove(departement).unwrap_or_default()
    }
}

/// The referential of each département, with for each QPV its number of
/// communes and of intercommunalities over the whole referential (a département's rows
/// hold every commune of each of its QPV).
fn liens(referentiel: &Referentiel) -> PolarsResult<LazyFrame> {
    Ok(referentiel
        .lignes
        .clone()
        .lazy()
        .with_columns([
            col("code_commune")
                .n_unique()
                .over([col("code_qpv")])?
                .alias("n_communes"),
            col("code_interco")
                .n_unique()
                .over([col("code_qpv")])?
                .alias("n_interco"),
        ])
        .filter(col("code_commune").str().starts_with(col(D)))
        .sans_cse()
        .collect()?
        .lazy())
}

/// The QPV rows of the inputs: whole QPV, parts by commune, and each QPV's
/// count (whole-QPV rows, else the sum of the parts when every commune's
/// part is there).
struct Quartiers {
    /// Each département's QPV (`D`, `code_qpv`).
    qpv_dep: LazyFrame,
    entiers: LazyFrame,
    parties: LazyFrame,
    /// Materialised: read several times below, and a shallow plan keeps
    /// polars' optimiser within a thread's stack.
    effectifs: LazyFrame,
}

fn quartiers(m: &LazyFrame, liens: &LazyFrame) -> PolarsResult<Quartiers> {
    let qpv_dep = liens
        .clone()
        .select([col(D), col("code_qpv")])
        .unique_stable(None, UniqueKeepStrategy::First);
    let qpv = m.clone().filter(col(NIVEAU).eq(lit(niveaux::QPV))).join(
        qpv_dep.clone(),
        [col(D), col(CODE)],
        [col(D), col("code_qpv")],
        JoinArgs::new(JoinType::Inner),
    );
    let entiers = qpv
        .clone()
        .filter(col(CODE_COMMUNE).is_null())
        .select(cols(&[D, PERIODE, CODE, INDICATEUR, VALEUR, STATUT]));
    let parties = qpv.filter(col(CODE_COMMUNE).is_not_null()).select(cols(&[
        D,
        PERIODE,
        CODE,
        CODE_COMMUNE,
        INDICATEUR,
        VALEUR,
        STATUT,
    ]));
    let n_communes = liens
        .clone()
        .select([col(D), col("code_qpv"), col("n_communes")])
        .unique(None, UniqueKeepStrategy::First);
    let depuis_parties = parties
        .clone()
        .group_by(cols(&[D, PERIODE, CODE, INDICATEUR]))
        .agg([
            col(VALEUR).sum(),
            col(STATUT).max(),
            len().alias("n_parties"),
        ])
        .join(
            n_communes,
            [col(D), col(CODE)],
            [col(D), col("code_qpv")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(
                col("n_parties")
                    .cast(DataType::UInt32)
                    .lt(col("n_communes").cast(DataType::UInt32)),
            )
            .then(plus_grave(col(STATUT), st(Statut::NonDisponible)))
            .otherwise(col(STATUT))
            .alias(STATUT),
        )
        .with_column(super::expressions::masquer());
    let effectifs = preferer(
        entiers.clone(),
        depuis_parties,
        &[D, PERIODE, CODE, INDICATEUR],
        &[D, PERIODE, CODE, INDICATEUR, VALEUR, STATUT],
    )?
    .sans_cse()
    .collect()?
    .lazy();
    Ok(Quartiers {
        qpv_dep,
        entiers,
        parties,
        effectifs,
    })
}

/// A frame keyed by QPV code (`code` → `code_qpv`).
fn en_qpv(lf: LazyFrame) -> LazyFrame {
    lf.rename([CODE], ["code_qpv"], true)
}

/// Columns of a QPV's contribution to one of its communes.
const CONTRIBUTION: [&str; 7] = [
    D,
    PERIODE,
    "code_qpv",
    "code_commune",
    INDICATEUR,
    VALEUR,
    STATUT,
];

/// What each QPV puts in each of its communes: the whole QPV in its only
/// commune, else its part there (not available when not given).
fn contributions(liens: &LazyFrame, q: &Quartiers) -> PolarsResult<LazyFrame> {
    let par_qpv = [col(D), col("code_qpv")];
    let liens_communes = liens
        .clone()
        .select([
            col(D),
            col("code_qpv"),
            col("code_commune"),
            col("n_communes"),
        ])
        .unique(None, UniqueKeepStrategy::First);
    let mono = liens_communes
        .clone()
        .filter(col("n_communes").eq(lit(1)))
        .join(
            en_qpv(q.effectifs.clone()),
            par_qpv.clone(),
            par_qpv.clone(),
            JoinArgs::new(JoinType::Inner),
        )
        .select(cols(&CONTRIBUTION));
    let parties_qpv = en_qpv(q.parties.clone()).rename([CODE_COMMUNE], ["code_commune"], true);
    let cles_partie = cols(&[D, PERIODE, "code_qpv", "code_commune", INDICATEUR]);
    let multi = liens_communes
        .filter(col("n_communes").gt(lit(1)))
        .join(
            en_qpv(q.effectifs.clone()).select(cols(&[D, PERIODE, "code_qpv", INDICATEUR])),
            par_qpv.clone(),
            par_qpv,
            JoinArgs::new(JoinType::Inner),
        )
        .join(
            parties_qpv,
            cles_partie.clone(),
            cles_partie,
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col(STATUT).fill_null(st(Statut::NonDisponible)))
        .select(cols(&CONTRIBUTION));
    Ok(concat([mono, multi], UnionArgs::default())?
        .sans_cse()
        .collect()?
        .lazy())
}

/// A count "living in the territory's QPV" at `niveau`: the indicator
/// takes [`SUFFIXE_QPV`].
fn suffixe_qpv(lf: LazyFrame, niveau: &str) -> LazyFrame {
    suffixe_qpv_au_niveau(lf.with_column(lit(niveau.to_string()).alias(NIVEAU)))
}

/// [`suffixe_qpv`] for rows that have their level (the intercommunalities,
/// EPT or EPCI).
fn suffixe_qpv_au_niveau(lf: LazyFrame) -> LazyFrame {
    lf.with_column((col(INDICATEUR) + lit(SUFFIXE_QPV)).alias(INDICATEUR))
        .select(cols(&EFF))
}

/// Each commune's QPV figures: the sum of its QPV's contributions.
fn commune_qpv(contributions: &LazyFrame) -> LazyFrame {
    suffixe_qpv(
        somme(
            contributions.clone(),
            &[D, PERIODE, "code_commune", INDICATEUR],
        )
        .rename(["code_commune"], [CODE], true),
        niveaux::COMMUNE,
    )
}

/// The referential's (QPV, commune, intercommunality) links, with each
/// QPV's number of intercommunalities.
fn liens_interco(liens: &LazyFrame) -> LazyFrame {
    liens
        .clone()
        .filter(col("code_interco").is_not_null())
        .select([
            col(D),
            col("code_qpv"),
            col("code_commune"),
            col("niveau_interco"),
            col("code_interco"),
            col("n_interco"),
            col("departements_interco"),
        ])
        .unique(None, UniqueKeepStrategy::First)
}

/// Each intercommunality's QPV figures (EPT or EPCI): whole QPV when the
/// QPV lies in one, else its communes' parts. None for an EPCI whose QPV
/// lie in several départements: a département's cut has only its own.
fn interco_qpv(
    liens: &LazyFrame,
    q: &Quartiers,
    contributions: &LazyFrame,
) -> PolarsResult<LazyFrame> {
    const CLE: [&str; 6] = [
        D,
        PERIODE,
        "niveau_interco",
        "code_interco",
        INDICATEUR,
        VALEUR,
    ];
    let sortie = || {
        let mut c = cols(&CLE);
        c.push(col(STATUT));
        c
    };
    let par_qpv = [col(D), col("code_qpv")];
    let liens_interco = liens_interco(liens).filter(col("departements_interco").eq(lit(1)));
    let mono = liens_interco
        .clone()
        .filter(col("n_interco").eq(lit(1)))
        .select([
            col(D),
            col("code_qpv"),
            col("niveau_interco"),
            col("code_interco"),
        ])
        .unique(None, UniqueKeepStrategy::First)
        .join(
            en_qpv(q.effectifs.clone()),
            par_qpv.clone(),
            par_qpv,
            JoinArgs::new(JoinType::Inner),
        )
        .select(sortie());
    let par_commune = [col(D), col("code_qpv"), col("code_commune")];
    let multi = contributions
        .clone()
        .join(
            liens_interco.filter(col("n_interco").gt(lit(1))).select([
                col(D),
                col("code_qpv"),
                col("code_commune"),
                col("niveau_interco"),
                col("code_interco"),
            ]),
            par_commune.clone(),
            par_commune,
            JoinArgs::new(JoinType::Inner),
        )
        .select(sortie());
    Ok(suffixe_qpv_au_niveau(
        somme(
            concat([mono, multi], UnionArgs::default())?,
            &[D, PERIODE, "niveau_interco", "code_interco", INDICATEUR],
        )
        .rename(["niveau_interco", "code_interco"], [NIVEAU, CODE], true),
    ))
}

/// The département's QPV figures: the producer's own QPV total when
/// given, else the sum of its QPV; both checked against each other, and
/// each QPV's parts against the whole QPV.
fn departement_qpv(
    m: &LazyFrame,
    q: &Quartiers,
    de: &DemandeursEmploi,
    constats: &mut ConstatsParDepartement,
) -> Resultat<LazyFrame> {
    let somme_qpv = somme(q.effectifs.clone(), &[D, PERIODE, INDICATEUR]);
    let ensemble = m
        .clone()
        .filter(
            col(NIVEAU)
                .eq(lit(niveaux::ENSEMBLE_QPV))
                .and(col(CODE).eq(col(D))),
        )
        .select(cols(&[D, PERIODE, INDICATEUR, VALEUR, STATUT]));
    let en_departement = |lf: LazyFrame| {
        lf.with_columns([lit(niveaux::ENSEMBLE_QPV).alias(NIVEAU), col(D).alias(CODE)])
    };
    constats.noter(ecarts(
        en_departement(somme_qpv.clone()),
        en_departement(ensemble.clone()),
        Controle::Egal,
        de,
        |t, v, r| {
            format!("{t} : la somme des QPV ({v}) diffère du total « ensemble_qpv » ({r}), qui est retenu")
        },
    )?);
    let en_qpv_entier = |lf: LazyFrame| lf.with_column(lit(niveaux::QPV).alias(NIVEAU));
    constats.noter(ecarts(
        en_qpv_entier(somme(q.parties.clone(), &[D, PERIODE, CODE, INDICATEUR])),
        en_qpv_entier(q.entiers.clone()),
        Controle::Egal,
        de,
        |t, v, r| {
            format!("{t} : la somme des parties par commune ({v}) diffère du quartier entier ({r}), qui est retenu")
        },
    )?);
    Ok(suffixe_qpv(
        preferer(
            ensemble,
            somme_qpv,
            &[D, PERIODE, INDICATEUR],
            &[D, PERIODE, INDICATEUR, VALEUR, STATUT],
        )?
        .with_column(col(D).alias(CODE)),
        niveaux::DEPARTEMENT,
    ))
}

/// Whole territories (département, its EPT or EPCI, its communes), as
/// the producer gives them.
fn territoires_entiers(m: &LazyFrame, liens: &LazyFrame) -> PolarsResult<LazyFrame> {
    let intercos = liens_interco(liens)
        .select([col(D), col("niveau_interco"), col("code_interco")])
        .unique(None, UniqueKeepStrategy::First);
    let dep_entier = m.clone().filter(
        col(NIVEAU)
            .eq(lit(niveaux::DEPARTEMENT))
            .and(col(CODE).eq(col(D))),
    );
    let interco_entier = m.clone().join(
        intercos,
        [col(D), col(NIVEAU), col(CODE)],
        [col(D), col("niveau_interco"), col("code_interco")],
        JoinArgs::new(JoinType::Inner),
    );
    let communes_entieres = m.clone().filter(
        col(NIVEAU)
            .eq(lit(niveaux::COMMUNE))
            .and(col(CODE).str().starts_with(col(D))),
    );
    concat(
        [dep_entier, interco_entier, communes_entieres].map(|lf| lf.select(cols(&EFF))),
        UnionArgs::default(),
    )
}

/// Every count of every quarter at every level, and what each QPV puts in
/// each of its communes; a territory's figure in QPV above its whole
/// figure is an error of the inputs (beyond the producers' rounding).
fn effectifs(
    m: &LazyFrame,
    liens: &LazyFrame,
    q: &Quartiers,
    de: &DemandeursEmploi,
    constats: &mut ConstatsParDepartement,
) -> Resultat<(DataFrame, LazyFrame)> {
    let contributions = contributions(liens, q)?;
    let commune_qpv = commune_qpv(&contributions);
    let interco_qpv = interco_qpv(liens, q, &contributions)?;
    let dep_qpv = departement_qpv(m, q, de, constats)?;
    let territoires = territoires_entiers(m, liens)?;
    let effectifs = concat(
        [
            q.effectifs
                .clone()
                .with_column(lit(niveaux::QPV).alias(NIVEAU))
                .select(cols(&EFF)),
            commune_qpv,
            interco_qpv,
            dep_qpv,
            territoires,
        ],
        UnionArgs::default(),
    )?
    .sans_cse()
    .collect()?;
    let sans_suffixe = |lf: LazyFrame| {
        lf.filter(col(INDICATEUR).str().ends_with(lit(SUFFIXE_QPV)))
            .with_column(
                col(INDICATEUR)
                    .str()
                    .strip_suffix(lit(SUFFIXE_QPV))
                    .alias(INDICATEUR),
            )
    };
    constats.noter(ecarts(
        sans_suffixe(effectifs.clone().lazy()),
        effectifs.clone().lazy(),
        Controle::AuPlus,
        de,
        |t, v, r| format!("{t} : {v} demandeurs d'emploi en QPV pour {r} dans tout le territoire"),
    )?);
    Ok((effectifs, contributions))
}

/// Statistical secrecy on every quarter's counts, before anything is
/// derived from them; département by département (a QPV on two
/// départements is masked in each as in its own annex).
fn proteger(
    effectifs: DataFrame,
    contributions: LazyFrame,
    referentiel: &Referentiel,
    demande: &Demande,
) -> Resultat<(LazyFrame, LazyFrame, Option<Bilans>)> {
    let Some(seuil) = demande.seuil_secret else {
        return Ok((effectifs.lazy(), contributions, None));
    };
    let structures = tables::Structures::new(referentiel, demande.periode)?;
    let reference = demande.periode.to_string();
    let (e, c, bilans) = super::proteger_par_departement(
        &effectifs,
        &contributions.collect()?,
        &demande.codes(),
        |dep, e, c| {
            let structure = |periode: &str| structures.de(dep, periode);
            proteger_demandeurs((e, c), &structure, (dep, &reference), seuil)
        },
    )?;
    Ok((e.lazy(), c.lazy(), Some(bilans)))
}

/// Quarters a series shows at most: the reference one and the twelve
/// before it (three years of evolutions), from the exports and the history.
pub const TRIMESTRES_DE_LA_SERIE: i32 = 13;

/// Each département's demand, whole and in QPV, quarter by quarter up to
/// the reference one `t` ([`TRIMESTRES_DE_LA_SERIE`] at most), for the
/// evolution charts.
fn serie_departement(effectifs: &LazyFrame, t: i32) -> PolarsResult<Parts> {
    let serie = effectifs
        .clone()
        .filter(
            col(NIVEAU)
                .eq(lit(niveaux::DEPARTEMENT))
                .and(col(CODE).eq(col(D)))
                .and(col(PERIODE).lt_eq(lit(t)))
                .and(col(PERIODE).gt(lit(t - TRIMESTRES_DE_LA_SERIE)))
                .and(
                    col(INDICATEUR)
                        .eq(lit(DE_ABC))
                        .or(col(INDICATEUR).eq(lit(format!("{DE_ABC}{SUFFIXE_QPV}")))),
                ),
        )
        .select([
            col(D),
            col(PERIODE),
            col(INDICATEUR),
            col(VALEUR),
            col(STATUT),
        ])
        .sort([D, PERIODE, INDICATEUR], SortMultipleOptions::default())
        .sans_cse()
        .collect()?;
    Parts::new(&serie)
}

/// The long table's rows of the reference quarter: counts, evolutions,
/// shares and concentration, ordered; and the three largest QPV of each
/// département.
fn mesures_du_trimestre(
    effectifs: &LazyFrame,
    m: LazyFrame,
    referentiel: &Referentiel,
    de: &DemandeursEmploi,
    demande: &Demande,
) -> Resultat<(Parts, HashMap<String, Vec<String>>)> {
    let t = demande.periode.index();
    let a_t = |lf: LazyFrame| lf.filter(col(PERIODE).eq(lit(t)));
    let qpv_masques = effectifs.clone().filter(col(NIVEAU).eq(lit(niveaux::QPV)));
    let eff_t = a_t(effectifs.clone()).with_column(lit(mesures::EFFECTIF).alias(MESURE));
    let annuelle = evolution(
        effectifs.clone(),
        demande.periode,
        4,
        mesures::EVOLUTION_ANNUELLE,
    )?;
    let trimestrielle = evolution(
        effectifs.clone(),
        demande.periode,
        1,
        mesures::EVOLUTION_TRIMESTRIELLE,
    )?;
    let parts = part(a_t(effectifs.clone()));
    let (concentration, top3_qpv) = concentration(a_t(qpv_masques), a_t(effectifs.clone()))?;
    let sortie: Vec<LazyFrame> = [eff_t, annuelle, trimestrielle, parts, concentration]
        .into_iter()
        .map(|lf| lf.select(cols(&[D, NIVEAU, CODE, INDICATEUR, MESURE, VALEUR, STATUT])))
        .collect();
    let tables = ordonner(
        concat(sortie, UnionArgs::default())?,
        m,
        referentiel.lignes.clone().lazy(),
        de,
        demande,
    )?
    .sans_cse()
    .collect()?;
    Ok((Parts::new(&tables)?, top3_qpv))
}

/// The job-seeker indicators of every département of `demande`, in its
/// order: each département's figures, or the problems of its inputs that
/// stop its annex (every other département is still computed, so that a
/// national run lists every problem at once). `de.mesures` and
/// `referentiel.lignes` carry [`DEPARTEMENT_LIGNE`] and hold the rows of
/// the départements asked for only.
pub fn calculer(
    de: &DemandeursEmploi,
    referentiel: &Referentiel,
    demande: &Demande,
) -> Resultat<Vec<Result<Indicateurs, Vec<Probleme>>>> {
    let t = demande.periode.index();
    let codes = demande.codes();
    let m = de.mesures.clone().lazy();
    let mut constats = ConstatsParDepartement::new(&codes);
    // QPV unknown to the referential are checked once on the whole inputs
    // by the caller (`execution::par_departement`, [`verifier_qpv_connus`]).
    for (dep, p) in periodes_absentes(m.clone(), de, demande)? {
        if let Some(c) = constats.0.get_mut(&dep) {
            c.periode_absente = Some(p);
        }
    }
    let liens = liens(referentiel)?;
    let q = quartiers(&m, &liens)?;
    let (effectifs, contributions) = effectifs(&m, &liens, &q, de, &mut constats)?;
    let (effectifs, contributions, mut bilans) =
        proteger(effectifs, contributions, referentiel, demande)?;
    let (tables, mut top3_qpv) = mesures_du_trimestre(&effectifs, m, referentiel, de, demande)?;
    let a_t = |lf: LazyFrame| lf.filter(col(PERIODE).eq(lit(t)));
    for (dep, p) in qpv_sans_ligne(q.qpv_dep, a_t(q.effectifs), demande.periode, de)? {
        constats.avertir(&dep, p);
    }
    let parts_communales = Parts::new(&a_t(contributions).sans_cse().collect()?)?;
    let serie_departement = serie_departement(&effectifs, t)?;
    Ok(codes
        .iter()
        .map(|dep| {
            let c = constats.retirer(dep);
            if let Some(p) = c.periode_absente {
                return Err(vec![p]);
            }
            if !c.erreurs.is_empty() {
                return Err(c.erreurs);
            }
            Ok(Indicateurs {
                table: tables.de(dep),
                top3_qpv: top3_qpv.remove(*dep).unwrap_or_default(),
                avertissements: c.avertissements,
                revisions: Vec::new(),
                annexe_precedente: None,
                parts_communales: parts_communales.de(dep),
                serie_departement: serie_departement.de(dep),
                territoires: Default::default(),
                missions_locales: None,
                dossiers: None,
                dossiers_decides_apres: Vec::new(),
                enveloppes: Vec::new(),
                dispositifs: None,
                echeances: None,
                structures: None,
                secret: bilans
                    .as_mut()
                    .and_then(|b| b.remove(*dep))
                    .map(|b| BTreeMap::from([(Famille::Demandeurs.nom(), b)]))
                    .unwrap_or_default(),
            })
        })
        .collect())
}

/// The council's quarter must be in the exports for each département: a
/// report of "nd" everywhere is no report. The départements without it,
/// each with its problem.
fn periodes_absentes(
    m: LazyFrame,
    de: &DemandeursEmploi,
    demande: &Demande,
) -> PolarsResult<Vec<(String, Probleme)>> {
    let trouvees = m
        .filter(
            col(NIVEAU)
                .eq(lit(niveaux::DEPARTEMENT))
                .and(col(CODE).eq(col(D))),
        )
        .group_by([col(D)])
        .agg([col(PERIODE).unique().sort(Default::default())])
        .sans_cse()
        .collect()?;
    let deps = trouvees.column(D)?.str()?;
    let listes = trouvees.column(PERIODE)?.list()?;
    let mut periodes: HashMap<&str, Vec<i32>> = HashMap::new();
    for (i, dep) in deps.iter().enumerate() {
        if let (Some(dep), Some(liste)) = (dep, listes.get_as_series(i)) {
            periodes.insert(dep, liste.i32()?.iter().flatten().collect());
        }
    }
    let fichiers: Vec<String> = de
        .fichiers
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let t = demande.periode;
    Ok(demande
        .departements
        .iter()
        .filter_map(|(dep, _)| {
            let trouvees = periodes.get(dep.as_str()).cloned().unwrap_or_default();
            if trouvees.contains(&t.index()) {
                return None;
            }
            let trouvees: Vec<String> = trouvees
                .iter()
                .map(|p| Periode::depuis_index(*p).to_string())
                .collect();
            let p = Probleme::new(
                std::path::Path::new(&fichiers.join(", ")),
                format!("aucune ligne « departement » {dep} pour la période {t} du conseil"),
            )
            .attendu(format!("une ligne {t};departement;{dep};…"))
            .trouve(if trouvees.is_empty() {
                "aucune période pour ce département".to_string()
            } else {
                format!("périodes {}", trouvees.join(", "))
            });
            Some((dep.clone(), p))
        })
        .collect())
}

/// A QPV row whose code is in no referential is an error on its line.
/// Every QPV row of the job-seeker exports is a QPV of the referential.
pub fn verifier_qpv_connus(de: &DemandeursEmploi, referentiel: &Referentiel) -> Resultat<()> {
    let connus = referentiel
        .lignes
        .clone()
        .lazy()
        .select([col("code_qpv"), lit(true).alias("_connu")])
        .unique(None, UniqueKeepStrategy::First);
    let inconnus = de
        .mesures
        .clone()
        .lazy()
        .filter(
            col(NIVEAU)
                .eq(lit(niveaux::QPV))
                .and(col(INDICATEUR).eq(lit(DE_ABC))),
        )
        .join(
            connus,
            [col(CODE)],
            [col("code_qpv")],
            JoinArgs::new(JoinType::Left),
        )
        .filter(col("_connu").is_null())
        .sort(["fichier", LIGNE], SortMultipleOptions::default())
        .select([col("fichier"), col(LIGNE), col(CODE)])
        .sans_cse()
        .collect()?;
    if inconnus.height() == 0 {
        return Ok(());
    }
    let fichiers = inconnus.column("fichier")?.u32()?;
    let lignes = inconnus.column(LIGNE)?.u32()?;
    let codes = inconnus.column(CODE)?.str()?;
    let problemes = (0..inconnus.height())
        .map(|i| {
            let f = &de.fichiers[fichiers.get(i).unwrap_or(0) as usize];
            Probleme::new(f, "QPV absent du référentiel des QPV")
                .ligne(lignes.get(i).unwrap_or(0) as usize)
                .attendu("un code QPV présent dans referentiel_qpv*.csv")
                .trouve(codes.get(i).unwrap_or(""))
        })
        .collect();
    Err(Erreur::Donnees(problemes))
}

/// Evolution of every count between T − `decalage` and T. The annual one is
/// given for every count (not available when T − 4 is missing); the
/// quarterly one only where T − 1 is in the inputs. Across a change of QPV
/// list, QPV figures below the département are not comparable: `na`.
fn evolution(
    effectifs: LazyFrame,
    periode: Periode,
    decalage: i32,
    mesure: &str,
) -> PolarsResult<LazyFrame> {
    let avant = periode.decale(-decalage);
    let courant = effectifs
        .clone()
        .filter(col(PERIODE).eq(lit(periode.index())));
    let reference = effectifs
        .filter(col(PERIODE).eq(lit(avant.index())))
        .select([
            col(D),
            col(NIVEAU),
            col(CODE),
            col(INDICATEUR),
            col(VALEUR).alias("v_ref"),
            col(STATUT).alias("s_ref"),
        ]);
    let jointure = if mesure == mesures::EVOLUTION_ANNUELLE {
        JoinType::Left
    } else {
        JoinType::Inner
    };
    let cles = cols(&[D, NIVEAU, CODE, INDICATEUR]);
    let rupture = periode.generation() != avant.generation();
    let perimetre_qpv = col(NIVEAU).eq(lit(niveaux::QPV)).or(col(NIVEAU)
        .neq(lit(niveaux::DEPARTEMENT))
        .and(col(INDICATEUR).str().ends_with(lit(SUFFIXE_QPV))));
    let [v, s] = ratio(
        col(VALEUR) - col("v_ref"),
        col(STATUT),
        col("v_ref"),
        col("s_ref"),
    );
    let s = when(lit(rupture).and(perimetre_qpv))
        .then(st(Statut::NonApplicable))
        .otherwise(s)
        .alias(STATUT);
    Ok(courant
        .join(reference, cles.clone(), cles, JoinArgs::new(jointure))
        .select([
            col(D),
            col(NIVEAU),
            col(CODE),
            col(INDICATEUR),
            lit(mesure).alias(MESURE),
            v,
            s,
        ])
        .with_column(super::expressions::masquer()))
}

/// Shares (DOMAIN.md): a QPV's demand over its département's QPV demand; a
/// public over the QPV's own demand; at the other levels, the demand living
/// in QPV over the territory's, a public in QPV over the demand in QPV, and
/// a public over the territory's demand.
fn part(effectifs_t: LazyFrame) -> LazyFrame {
    let ind = col(INDICATEUR);
    let qpv = col(NIVEAU).eq(lit(niveaux::QPV));
    let de_abc_qpv = format!("{DE_ABC}{SUFFIXE_QPV}");
    let den_niveau = when(qpv.clone().and(ind.clone().eq(lit(DE_ABC))))
        .then(lit(niveaux::DEPARTEMENT))
        .otherwise(col(NIVEAU));
    let den_code = when(qpv.clone().and(ind.clone().eq(lit(DE_ABC))))
        .then(col(D))
        .otherwise(col(CODE));
    let den_ind = when(qpv.clone().and(ind.clone().eq(lit(DE_ABC))))
        .then(lit(de_abc_qpv.clone()))
        .when(qpv)
        .then(lit(DE_ABC))
        .when(ind.clone().eq(lit(de_abc_qpv.clone())))
        .then(lit(DE_ABC))
        .when(ind.clone().str().ends_with(lit(SUFFIXE_QPV)))
        .then(lit(de_abc_qpv))
        .otherwise(lit(DE_ABC));
    let denominateurs = effectifs_t.clone().select([
        col(D),
        col(NIVEAU).alias("den_niveau"),
        col(CODE).alias("den_code"),
        col(INDICATEUR).alias("den_ind"),
        col(VALEUR).alias("v_den"),
        col(STATUT).alias("s_den"),
    ]);
    let cles_den = cols(&[D, "den_niveau", "den_code", "den_ind"]);
    let [v, s] = ratio(col(VALEUR), col(STATUT), col("v_den"), col("s_den"));
    effectifs_t
        // The whole demand of a territory is no share of anything.
        .filter(col(NIVEAU).eq(lit(niveaux::QPV)).or(ind.neq(lit(DE_ABC))))
        .with_columns([
            den_niveau.alias("den_niveau"),
            den_code.alias("den_code"),
            den_ind.alias("den_ind"),
        ])
        .join(
            denominateurs,
            cles_den.clone(),
            cles_den,
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col(D),
            col(NIVEAU),
            col(CODE),
            col(INDICATEUR),
            lit(mesures::PART).alias(MESURE),
            v,
            s,
        ])
        .with_column(super::expressions::masquer())
}

/// Share of each département's QPV demand held by its three largest QPV,
/// and the codes of those three, largest first. Not available when a QPV's
/// demand is missing (it could be among the three).
fn concentration(
    qpv_t: LazyFrame,
    effectifs_t: LazyFrame,
) -> PolarsResult<(LazyFrame, HashMap<String, Vec<String>>)> {
    let valeur = col(STATUT).eq(lit(Statut::Valeur.code()));
    let ordre = || {
        SortMultipleOptions::default()
            .with_order_descending_multi([true, false])
            .with_maintain_order(true)
    };
    // The three largest among the QPV whose demand is a value, in a frame
    // of those only (a filter inside the aggregation breaks polars'
    // `sort_by` on groups where some QPV are masked).
    let plus_grands = |c: &str| {
        col(c)
            .sort_by([col(VALEUR), col(CODE)], ordre())
            .head(Some(3))
    };
    let de_abc = qpv_t.filter(col(INDICATEUR).eq(lit(DE_ABC)));
    let manquants = de_abc.clone().group_by([col(D)]).agg([valeur
        .clone()
        .not()
        .sum()
        .alias("manquants")]);
    let trois = de_abc.filter(valeur).group_by([col(D)]).agg([
        plus_grands(CODE).alias("top3"),
        plus_grands(VALEUR).sum().alias("somme_top"),
    ]);
    let top = manquants
        .join(trois, [col(D)], [col(D)], JoinArgs::new(JoinType::Left))
        .with_column(
            when(
                col("manquants")
                    .eq(lit(0))
                    .and(col("top3").list().len().eq(lit(3)))
                    .fill_null(lit(false)),
            )
            .then(st(Statut::Valeur))
            .otherwise(st(Statut::NonDisponible))
            .alias("statut_top"),
        )
        .sans_cse()
        .collect()?;
    let deps = top.column(D)?.str()?;
    let listes = top.column("top3")?.list()?;
    let statuts = top.column("statut_top")?.u32()?;
    let mut codes = HashMap::new();
    for (i, (dep, s)) in deps.iter().zip(statuts.iter()).enumerate() {
        if let (Some(dep), Some(liste), Some(s)) = (dep, listes.get_as_series(i), s) {
            if s == Statut::Valeur.code() {
                let liste = liste.str()?.iter().flatten().map(str::to_owned).collect();
                codes.insert(dep.to_string(), liste);
            }
        }
    }
    let de_abc_qpv = format!("{DE_ABC}{SUFFIXE_QPV}");
    let total = effectifs_t.filter(
        col(NIVEAU)
            .eq(lit(niveaux::DEPARTEMENT))
            .and(col(CODE).eq(col(D)))
            .and(col(INDICATEUR).eq(lit(de_abc_qpv))),
    );
    let [v, s] = ratio(
        col("somme_top"),
        col("statut_top"),
        col(VALEUR),
        col(STATUT),
    );
    let lf = total
        .join(
            top.lazy()
                .select([col(D), col("somme_top"), col("statut_top")]),
            [col(D)],
            [col(D)],
            JoinArgs::new(JoinType::Left),
        )
        .select([
            col(D),
            col(NIVEAU),
            col(CODE),
            lit(CONCENTRATION_TOP3).alias(INDICATEUR),
            lit(mesures::PART).alias(MESURE),
            v,
            s,
        ])
        .with_column(super::expressions::masquer());
    Ok((lf, codes))
}

/// Warnings for QPV of each département without a figure for the period.
fn qpv_sans_ligne(
    qpv_dep: LazyFrame,
    qpv_t: LazyFrame,
    periode: Periode,
    de: &DemandeursEmploi,
) -> PolarsResult<Vec<(String, Probleme)>> {
    let prefixe = periode.generation().prefixe();
    let presents = qpv_t
        .select([col(D), col(CODE), lit(true).alias("_present")])
        .unique(None, UniqueKeepStrategy::First);
    let absents = qpv_dep
        .filter(col("code_qpv").str().starts_with(lit(prefixe)))
        .join(
            presents,
            [col(D), col("code_qpv")],
            [col(D), col(CODE)],
            JoinArgs::new(JoinType::Left),
        )
        .filter(col("_present").is_null())
        .sort([D, "code_qpv"], SortMultipleOptions::default())
        .sans_cse()
        .collect()?;
    let fichier = de.fichiers.first().cloned().unwrap_or_default();
    let deps = absents.column(D)?.str()?;
    let codes = absents.column("code_qpv")?.str()?;
    Ok(deps
        .iter()
        .zip(codes.iter())
        .filter_map(|(d, c)| Some((d?, c?)))
        .map(|(d, c)| {
            (
                d.to_string(),
                Probleme::new(
                    &fichier,
                    format!(
                        "aucune ligne pour le QPV {c} en {periode} : ses chiffres seront « nd »"
                    ),
                ),
            )
        })
        .collect())
}

/// Labels, the period as text, and the stable output order. `m` and
/// `referentiel` are the marked inputs of the départements computed.
fn ordonner(
    lf: LazyFrame,
    m: LazyFrame,
    referentiel: LazyFrame,
    de: &DemandeursEmploi,
    demande: &Demande,
) -> PolarsResult<LazyFrame> {
    let libelles_ref = [
        (lit(niveaux::QPV), "code_qpv", "nom_qpv"),
        (lit(niveaux::COMMUNE), "code_commune", "nom_commune"),
        (col("niveau_interco"), "code_interco", "nom_interco"),
    ]
    .map(|(niveau, code, nom)| {
        referentiel.clone().select([
            col(D),
            niveau.alias(NIVEAU),
            col(code).alias(CODE),
            col(nom).alias(LIBELLE),
        ])
    });
    let libelles_dep = demande.noms()?.select([
        col(D),
        lit(niveaux::DEPARTEMENT).alias(NIVEAU),
        col(D).alias(CODE),
        col(LIBELLE),
    ]);
    let libelles_entree = m.select([col(D), col(NIVEAU), col(CODE), col(LIBELLE)]);
    let mut sources = vec![libelles_dep];
    sources.extend(libelles_ref);
    sources.push(libelles_entree);
    let libelles = concat(sources, UnionArgs::default())?
        .filter(col(LIBELLE).is_not_null().and(col(CODE).is_not_null()))
        .unique_stable(
            Some(by_name([D, NIVEAU, CODE], true, false)),
            UniqueKeepStrategy::First,
        );

    let mut ordre_ind: Vec<String> = de.publics.iter().map(|p| p.to_string()).collect();
    ordre_ind.extend(de.publics.iter().map(|p| format!("{p}{SUFFIXE_QPV}")));
    ordre_ind.push(CONCENTRATION_TOP3.to_string());
    let lf = avec_rang(lf, NIVEAU, &niveaux::SORTIE.map(String::from))?;
    let lf = avec_rang(lf, INDICATEUR, &ordre_ind)?;
    let lf = avec_rang(lf, MESURE, &mesures::ORDRE.map(String::from))?;
    let mut colonnes = vec![col(D)];
    colonnes.extend(colonnes_sortie());
    Ok(lf
        .join(
            libelles,
            [col(D), col(NIVEAU), col(CODE)],
            [col(D), col(NIVEAU), col(CODE)],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(lit(demande.periode.to_string()).alias(PERIODE))
        .with_columns(sans_details())
        .sort(
            [D, "rang_niveau", CODE, "rang_indicateur", "rang_mesure"],
            SortMultipleOptions::default(),
        )
        .select(colonnes))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Ligne = (
        Periode,
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
        Option<f64>,
    );

    const T: Periode = Periode {
        annee: 2020,
        trimestre: 4,
    };
    const T4: Periode = Periode {
        annee: 2019,
        trimestre: 4,
    };

    /// Long job-seeker rows of département 92, marked as the pipeline
    /// marks them; a `None` value is a `nd` cell.
    fn demandeurs(lignes: &[Ligne]) -> DemandeursEmploi {
        let n = lignes.len();
        let mesures = df![
            D => vec!["92"; n],
            PERIODE => lignes.iter().map(|l| l.0.index()).collect::<Vec<_>>(),
            NIVEAU => lignes.iter().map(|l| l.1).collect::<Vec<_>>(),
            CODE => lignes.iter().map(|l| l.2).collect::<Vec<_>>(),
            CODE_COMMUNE => lignes.iter().map(|l| l.3).collect::<Vec<_>>(),
            LIBELLE => vec![None::<&str>; n],
            INDICATEUR => lignes.iter().map(|l| l.4).collect::<Vec<_>>(),
            VALEUR => lignes.iter().map(|l| l.5).collect::<Vec<_>>(),
            STATUT => lignes.iter().map(|l| if l.5.is_some() { 0u32 } else { 2 }).collect::<Vec<_>>(),
            LIGNE => (2..n as u32 + 2).collect::<Vec<_>>(),
            "fichier" => vec![0u32; n],
        ]
        .unwrap();
        DemandeursEmploi {
            mesures,
            publics: vec!["de_abc", "de_abc_moins_26"],
            fichiers: vec!["de.csv".into()],
            revisions: Vec::new(),
        }
    }

    fn referentiel(lignes: &[(&str, &str, &str)]) -> Referentiel {
        let lignes = df![
            D => vec!["92"; lignes.len()],
            "code_qpv" => lignes.iter().map(|l| l.0).collect::<Vec<_>>(),
            "nom_qpv" => lignes.iter().map(|l| l.1).collect::<Vec<_>>(),
            "code_commune" => lignes.iter().map(|l| l.2).collect::<Vec<_>>(),
            "nom_commune" => lignes.iter().map(|l| l.2).collect::<Vec<_>>(),
            "niveau_interco" => lignes.iter().map(|_| "ept").collect::<Vec<_>>(),
            "code_interco" => lignes.iter().map(|_| "T1").collect::<Vec<_>>(),
            "nom_interco" => lignes.iter().map(|_| "Territoire 1").collect::<Vec<_>>(),
            "nature_interco" => lignes.iter().map(|_| "EPT").collect::<Vec<_>>(),
            "departements_interco" => lignes.iter().map(|_| 1u32).collect::<Vec<_>>(),
            "population" => lignes.iter().map(|_| None::<f64>).collect::<Vec<_>>(),
            LIGNE => (2..lignes.len() as u32 + 2).collect::<Vec<_>>(),
        ]
        .unwrap();
        Referentiel {
            lignes,
            composition: None,
        }
    }

    fn chiffre(
        ind: &Indicateurs,
        niveau: &str,
        code: &str,
        indicateur: &str,
        mesure: &str,
    ) -> (Option<f64>, Statut) {
        let t = ind
            .table
            .clone()
            .lazy()
            .filter(
                col(NIVEAU)
                    .eq(lit(niveau))
                    .and(col(CODE).eq(lit(code)))
                    .and(col(INDICATEUR).eq(lit(indicateur)))
                    .and(col(MESURE).eq(lit(mesure))),
            )
            .collect()
            .unwrap();
        assert_eq!(t.height(), 1, "{niveau} {code} {indicateur} {mesure}");
        let v = t.column(VALEUR).unwrap().f64().unwrap().get(0);
        let s = Statut::depuis_code(t.column(STATUT).unwrap().u32().unwrap().get(0).unwrap());
        (v, s)
    }

    fn calcul(de: &DemandeursEmploi, r: &Referentiel, periode: Periode) -> Indicateurs {
        let mut resultats = calculer(
            de,
            r,
            &Demande {
                departements: &[("92".to_string(), "Test".to_string())],
                periode,
                seuil_secret: None,
                limite: 0,
            },
        )
        .unwrap();
        assert_eq!(resultats.len(), 1);
        resultats.remove(0).unwrap()
    }

    fn proche(a: (Option<f64>, Statut), attendu: f64) {
        assert_eq!(a.1, Statut::Valeur, "{a:?}");
        assert!((a.0.unwrap() - attendu).abs() < 1e-12, "{a:?} ≠ {attendu}");
    }

    fn jeu() -> (DemandeursEmploi, Referentiel) {
        let de = demandeurs(&[
            (T, "departement", "92", None, "de_abc", Some(1000.0)),
            (T4, "departement", "92", None, "de_abc", Some(800.0)),
            (T, "departement", "92", None, "de_abc_moins_26", Some(120.0)),
            (T, "commune", "92001", None, "de_abc", Some(500.0)),
            (T, "qpv", "QP092001", None, "de_abc", Some(100.0)),
            (T4, "qpv", "QP092001", None, "de_abc", Some(80.0)),
            (T, "qpv", "QP092001", None, "de_abc_moins_26", Some(30.0)),
            (T, "qpv", "QP092002", None, "de_abc", Some(50.0)),
            (T4, "qpv", "QP092002", None, "de_abc", Some(40.0)),
            (T, "qpv", "QP092002", None, "de_abc_moins_26", None),
        ]);
        let r = referentiel(&[
            ("QP092001", "Un", "92001"),
            ("QP092002", "Deux", "92001"),
            ("QP092002", "Deux", "92002"),
        ]);
        (de, r)
    }

    #[test]
    fn evolutions_et_parts() {
        let (de, r) = jeu();
        let ind = calcul(&de, &r, T);
        proche(
            chiffre(&ind, "departement", "92", "de_abc", "evolution_annuelle"),
            0.25,
        );
        proche(
            chiffre(&ind, "departement", "92", "de_abc_qpv", "effectif"),
            150.0,
        );
        proche(
            chiffre(
                &ind,
                "departement",
                "92",
                "de_abc_qpv",
                "evolution_annuelle",
            ),
            0.25,
        );
        proche(
            chiffre(&ind, "departement", "92", "de_abc_qpv", "part"),
            0.15,
        );
        proche(
            chiffre(&ind, "departement", "92", "de_abc_moins_26", "part"),
            0.12,
        );
        proche(
            chiffre(&ind, "qpv", "QP092001", "de_abc", "part"),
            100.0 / 150.0,
        );
        proche(
            chiffre(&ind, "qpv", "QP092001", "de_abc_moins_26", "part"),
            0.3,
        );
        proche(
            chiffre(&ind, "qpv", "QP092001", "de_abc", "evolution_annuelle"),
            0.25,
        );
    }

    #[test]
    fn un_chiffre_calcule_sur_une_donnee_manquante_reste_manquant() {
        let (de, r) = jeu();
        let ind = calcul(&de, &r, T);
        // A QPV public not available: the département's QPV total of that
        // public, and its share, are not available, never a partial sum.
        assert_eq!(
            chiffre(&ind, "qpv", "QP092002", "de_abc_moins_26", "effectif"),
            (None, Statut::NonDisponible)
        );
        assert_eq!(
            chiffre(&ind, "departement", "92", "de_abc_moins_26_qpv", "effectif"),
            (None, Statut::NonDisponible)
        );
        assert_eq!(
            chiffre(&ind, "departement", "92", "de_abc_moins_26_qpv", "part"),
            (None, Statut::NonDisponible)
        );
        // An intercommunal QPV without parts: its communes' QPV figures are
        // not available, never the whole QPV counted in each.
        assert_eq!(
            chiffre(&ind, "commune", "92001", "de_abc_qpv", "effectif"),
            (None, Statut::NonDisponible)
        );
        assert_eq!(
            chiffre(&ind, "commune", "92002", "de_abc_qpv", "effectif"),
            (None, Statut::NonDisponible)
        );
        assert_eq!(
            chiffre(&ind, "commune", "92001", "de_abc_qpv", "part"),
            (None, Statut::NonDisponible)
        );
        // The EPT holds the whole QPV: its figure stands.
        proche(chiffre(&ind, "ept", "T1", "de_abc_qpv", "effectif"), 150.0);
        // No quarter T−1 in the inputs: no quarterly evolution at all.
        assert!(ind
            .table
            .column(MESURE)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .all(|m| m != Some("evolution_trimestrielle")));
        // Fewer than three QPV: no concentration figure.
        assert_eq!(
            chiffre(&ind, "departement", "92", "concentration_top3", "part"),
            (None, Statut::NonDisponible)
        );
    }

    #[test]
    fn parts_par_commune_d_un_qpv_intercommunal() {
        let (mut de, r) = jeu();
        let parts = demandeurs(&[
            (T, "qpv", "QP092002", Some("92001"), "de_abc", Some(20.0)),
            (T, "qpv", "QP092002", Some("92002"), "de_abc", Some(30.0)),
        ]);
        de.mesures = de.mesures.vstack(&parts.mesures).unwrap();
        let ind = calcul(&de, &r, T);
        proche(
            chiffre(&ind, "commune", "92001", "de_abc_qpv", "effectif"),
            120.0,
        );
        proche(
            chiffre(&ind, "commune", "92002", "de_abc_qpv", "effectif"),
            30.0,
        );
        proche(
            chiffre(&ind, "commune", "92001", "de_abc_qpv", "part"),
            120.0 / 500.0,
        );
    }

    #[test]
    fn changement_de_generation_des_qpv() {
        let t = Periode {
            annee: 2024,
            trimestre: 1,
        };
        let de = demandeurs(&[
            (t, "departement", "92", None, "de_abc", Some(1000.0)),
            (
                t.decale(-4),
                "departement",
                "92",
                None,
                "de_abc",
                Some(900.0),
            ),
            (t, "qpv", "QN09201A", None, "de_abc", Some(110.0)),
            (t.decale(-4), "qpv", "QP092001", None, "de_abc", Some(100.0)),
        ]);
        let r = referentiel(&[
            ("QP092001", "Ancien", "92001"),
            ("QN09201A", "Nouveau", "92001"),
        ]);
        let ind = calcul(&de, &r, t);
        assert_eq!(
            chiffre(&ind, "qpv", "QN09201A", "de_abc", "evolution_annuelle"),
            (None, Statut::NonApplicable)
        );
        assert_eq!(
            chiffre(&ind, "commune", "92001", "de_abc_qpv", "evolution_annuelle"),
            (None, Statut::NonApplicable)
        );
        // At département level the evolution stands.
        proche(
            chiffre(
                &ind,
                "departement",
                "92",
                "de_abc_qpv",
                "evolution_annuelle",
            ),
            0.1,
        );
    }

    #[test]
    fn qpv_inconnu_refuse_avec_sa_ligne() {
        let (_, r) = jeu();
        let de = demandeurs(&[
            (T, "departement", "92", None, "de_abc", Some(1.0)),
            (T, "qpv", "QP099999", None, "de_abc", Some(1.0)),
        ]);
        let Err(Erreur::Donnees(p)) = verifier_qpv_connus(&de, &r) else {
            panic!("QPV inconnu accepté");
        };
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].to_string(), "de.csv:3: QPV absent du référentiel des QPV (attendu un code QPV présent dans referentiel_qpv*.csv, trouvé « QP099999 »)");
    }
}
