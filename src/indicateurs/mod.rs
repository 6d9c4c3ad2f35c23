//! Indicators, one file per family of sources. Each family turns typed
//! input tables into rows of the long indicator table written as
//! `indicateurs.csv` and drawn by the renderers.

pub mod coherence;
pub mod demandeurs;
pub mod dispositifs;
mod expressions;
pub mod financements;
pub mod missions_locales;
pub mod protection;
pub mod quartiers;
pub mod structures;
pub mod territoires;

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::secret::Bilan;
use protection::Bilans;

use crate::decoupage::Marquees;
use crate::erreur::{Probleme, Resultat};
use crate::lecture::Entrees;
use crate::modele::colonnes::*;
use crate::modele::departements::{remarquer, Parts};
use crate::modele::{mesures, niveaux, Periode, Referentiel, Statut};
use crate::secret::tables::Famille;

/// What the computation is asked for. Every family computes all the
/// départements of a run in the same queries: its inputs carry the
/// département of each row ([`DEPARTEMENT_LIGNE`], set when the inputs are
/// cut, `decoupage::marquer`) and hold the départements asked for
/// only; every join and group has the département in its keys. polars'
/// fixed cost per query is paid once per run, not once per département
/// (docs/performance.md).
#[derive(Debug, Clone)]
pub struct Demande<'a> {
    /// The départements, code and name, in the order of the results.
    pub departements: &'a [(String, String)],
    pub periode: Periode,
    /// Secrecy threshold; `None` for an internal report, unmasked.
    pub seuil_secret: Option<u32>,
    /// The last day (AAAAMMJJ) a scheme count shown may start on: the
    /// council's date, else the quarter's end.
    pub limite: i32,
}

impl Demande<'_> {
    pub fn codes(&self) -> Vec<&str> {
        self.departements.iter().map(|(c, _)| c.as_str()).collect()
    }

    /// `code` → name, to join as `libelle` where the code is the
    /// département's.
    fn noms(&self) -> PolarsResult<LazyFrame> {
        let (codes, noms): (Vec<&str>, Vec<&str>) = self
            .departements
            .iter()
            .map(|(c, n)| (c.as_str(), n.as_str()))
            .unzip();
        Ok(df![DEPARTEMENT_LIGNE => codes, LIBELLE => noms]?.lazy())
    }
}

/// Every family's indicators for every département of `demande`, computed
/// for all of them at once on the marked inputs (`referentiel`, the
/// national one; `coupes`, each département's cut, in the order of
/// `demande`): each département's figures, or the problems of its inputs
/// that stop its annex. The sections a département gets are those its cut
/// of the inputs has.
pub fn calculer(
    referentiel: &Referentiel,
    marquees: &Marquees,
    coupes: &[Entrees],
    demande: &Demande,
) -> Resultat<Vec<Result<Indicateurs, Vec<Probleme>>>> {
    let par_demandeurs =
        demandeurs::calculer(&marquees.demandeurs, &marquees.referentiel, demande)?;
    let par_missions_locales = match &marquees.missions_locales {
        Some(ml) => Some(missions_locales::calculer(ml, demande)?),
        None => None,
    };
    let par_financements = match &marquees.financements {
        Some(f) => Some(financements::calculer(f, referentiel, demande)?),
        None => None,
    };
    let par_quartiers = quartiers::calculer(&marquees.referentiel, demande)?;
    let par_dispositifs = match &marquees.dispositifs {
        Some(d) => Some(dispositifs::calculer(d, referentiel, demande)?),
        None => None,
    };
    let par_structures = match &marquees.structures {
        Some(s) => Some(structures::calculer(s, referentiel, demande)?),
        None => None,
    };
    let mut resultats = Vec::with_capacity(coupes.len());
    for (((code, _), coupe), d) in demande.departements.iter().zip(coupes).zip(par_demandeurs) {
        let Ok(mut indicateurs) = d else {
            resultats.push(d);
            continue;
        };
        indicateurs.revisions = coupe.demandeurs.revisions.clone();
        indicateurs.table.vstack_mut(&par_quartiers.de(code))?;
        if let (Some((tables, structures, references, bilans)), Some(ml)) =
            (&par_missions_locales, &coupe.missions_locales)
        {
            indicateurs.table.vstack_mut(&tables.de(code))?;
            if let Some(b) = bilans.as_ref().and_then(|b| b.get(code)) {
                indicateurs
                    .secret
                    .insert(Famille::MissionsLocales.nom(), *b);
            }
            indicateurs.missions_locales = Some(MissionsLocalesCalculees {
                indicateurs: ml.indicateurs.clone(),
                structures: structures.de(code),
                annee: missions_locales::annee(&references.de(code))?
                    .unwrap_or(demande.periode.annee),
            });
        }
        if let (Some(tables), Some(_)) = (&par_financements, &coupe.financements) {
            indicateurs.table.vstack_mut(&tables.de(code))?;
        }
        if let (Some((longues, liste)), Some(_)) = (&par_structures, &coupe.structures) {
            let comptes = longues.de(code);
            indicateurs.table.vstack_mut(&comptes)?;
            indicateurs.structures = Some(StructuresCalculees {
                liste: liste.de(code),
                comptes,
            });
        }
        if let Some(e) = &coupe.echeances {
            indicateurs.echeances = Some(a_venir(&e.lignes, demande.limite)?);
        }
        if let (Some((longues, larges, bilans)), Some(_)) = (&par_dispositifs, &coupe.dispositifs) {
            indicateurs.table.vstack_mut(&longues.de(code))?;
            if let Some(b) = bilans.as_ref().and_then(|b| b.get(code)) {
                indicateurs.secret.insert(Famille::Dispositifs.nom(), *b);
            }
            indicateurs.dispositifs = Some(larges.de(code));
        }
        resultats.push(Ok(indicateurs));
    }
    Ok(resultats)
}

/// The steps of the calendar on or after `limite` (AAAAMMJJ, the
/// council's date), by date, in the files' order.
fn a_venir(lignes: &DataFrame, limite: i32) -> PolarsResult<DataFrame> {
    lignes
        .clone()
        .lazy()
        .filter(col("fin").gt_eq(lit(limite)))
        .sort(["debut", FICHIER, LIGNE], SortMultipleOptions::default())
        .collect()
}

/// What the documents of the département `code` need from the structure of
/// its cut of the inputs: its communes and QPV, its funding dossiers.
/// Called on each département's worker thread.
pub fn completer(
    mut indicateurs: Indicateurs,
    coupe: &Entrees,
    code: &str,
    periode: Periode,
) -> Resultat<Indicateurs> {
    indicateurs.territoires = territoires::territoires(&coupe.referentiel, code, periode)?;
    if let Some(f) = &coupe.financements {
        let (dossiers, apres) = financements::dossiers(f, &coupe.referentiel, code, periode)?;
        indicateurs.dossiers = Some(dossiers);
        indicateurs.dossiers_decides_apres = apres;
        indicateurs.enveloppes = financements::enveloppes_du_departement(&f.enveloppes)?;
    }
    Ok(indicateurs)
}

/// `proteger` (statistical secrecy, which walks each département's
/// relations in Rust) on each département's rows of two marked tables, the
/// départements in parallel; the results marked again and stacked in the
/// order of `codes`, with each département's tally.
fn proteger_par_departement(
    a: &DataFrame,
    b: &DataFrame,
    codes: &[&str],
    proteger: impl Fn(&str, DataFrame, DataFrame) -> PolarsResult<(DataFrame, DataFrame, Bilan)> + Sync,
) -> Resultat<(DataFrame, DataFrame, Bilans)> {
    let (parts_a, parts_b) = (Parts::new(a)?, Parts::new(b)?);
    let proteges = crate::parallele::en_parallele(codes, |code| {
        let (x, y, bilan) = proteger(code, parts_a.de(code), parts_b.de(code))?;
        PolarsResult::Ok((remarquer(x, code)?, remarquer(y, code)?, bilan))
    })?;
    let (mut a, mut b) = (a.clear(), b.clear());
    let mut bilans = Bilans::new();
    for (p, code) in proteges.into_iter().zip(codes) {
        let (x, y, bilan) = p?;
        a.vstack_mut(&x)?;
        b.vstack_mut(&y)?;
        bilans.insert(code.to_string(), bilan);
    }
    Ok((a, b, bilans))
}

// Every query of this module runs with common-subexpression elimination
// off: polars 0.55 breaks a union whose inputs repeat a literal
// subexpression (`plus_grave(st, lit(nd))`): the cached literal keeps a
// height of 1 ("height of column '__POLARS_CSER_…' (1) does not match").

/// The indicators of one département for one reference period, in the long
/// form of `indicateurs.csv`: `periode` (text), `niveau`, `code`,
/// `libelle`, `indicateur`, `mesure`, `valeur` (f64, unrounded, null unless
/// `statut` is 0), `statut` (u32, see `modele::Statut`), sorted.
#[derive(Debug, Clone)]
pub struct Indicateurs {
    pub table: DataFrame,
    /// Codes of the three QPV holding the most job seekers, largest first.
    pub top3_qpv: Vec<String>,
    /// Reported, the run goes on.
    pub avertissements: Vec<Probleme>,
    /// The producer's revisions of the département's figures between
    /// overlapping exports (`lecture::chevauchements`), reported.
    pub revisions: Vec<crate::modele::Revision>,
    /// The previous quarter's published annex, when there is one: the
    /// documents set this quarter's key figures against it.
    pub annexe_precedente: Option<AnnexePrecedente>,
    /// What each QPV puts in each of its communes, for the reference
    /// quarter (`periode`, `code_qpv`, `code_commune`, `indicateur`,
    /// `valeur`, `statut`), secrecy applied: the commune documents show it.
    pub parts_communales: DataFrame,
    /// The département's `de_abc` and `de_abc_qpv` for every quarter up to
    /// the reference one (`periode` as index, `indicateur`, `valeur`,
    /// `statut`), secrecy applied.
    pub serie_departement: DataFrame,
    /// The département's communes with a QPV and the communes of each QPV.
    pub territoires: territoires::Territoires,
    /// Missions locales, when the département has rows of its own.
    pub missions_locales: Option<MissionsLocalesCalculees>,
    /// Funding dossiers of the département, in register order, when a
    /// register was given.
    pub dossiers: Option<Vec<financements::Dossier>>,
    /// The commune (or "") of each dossier of the registers left out for
    /// being decided after the quarter's end (they count in the quarter
    /// of their decision).
    pub dossiers_decides_apres: Vec<String>,
    /// The envelope of each (dispositif, wave) given, in file order.
    pub enveloppes: Vec<financements::Enveloppe>,
    /// The scheme counts shown, one row per count given (its figures side
    /// by side, secrecy applied; `dispositifs::large`), when the
    /// département has some.
    pub dispositifs: Option<DataFrame>,
    /// The calendar's steps from the council's date on (`modele::Echeances`),
    /// when a calendar was given.
    pub echeances: Option<DataFrame>,
    /// How many counts of people each family published and masked
    /// (`secret::tables::Famille::nom`), when secrecy applies.
    pub secret: BTreeMap<&'static str, Bilan>,
    /// The département's structures and labels, when a file was given.
    pub structures: Option<StructuresCalculees>,
}

/// What the documents show of the structures and labels.
#[derive(Debug, Clone)]
pub struct StructuresCalculees {
    /// Each structure, in the files' order, with its commune's and QPV's
    /// names and whether the commune has a QPV (`structures::calculer`).
    pub liste: DataFrame,
    /// Their counts, rows of the long table (`structures::calculer`).
    pub comptes: DataFrame,
}

/// The column of `indicateurs.csv` giving each row's département (a
/// national run's rows, one file).
pub const DEPARTEMENT: &str = "departement";

/// The columns of `indicateurs.csv` but the last: the long table's, then
/// `code_commune` (`code_commune`: its expression).
fn colonnes_publiees(code_commune: Expr) -> Vec<Expr> {
    let mut colonnes = colonnes_sortie().to_vec();
    colonnes.push(code_commune);
    colonnes
}

/// An empty `code_commune`: the row is about no part of a QPV.
fn sans_commune() -> Expr {
    lit(NULL).cast(DataType::String).alias(CODE_COMMUNE)
}

impl Indicateurs {
    /// Every row `indicateurs.csv` publishes for département
    /// `departement`: the long table; the part of each intercommunal QPV
    /// in each of its communes (`code_commune`, as in the job-seeker
    /// export); each mission locale's counts of the year (`niveau`
    /// `mission_locale`); the département's demand of the earlier quarters
    /// (the summary's series); each funded dossier (`niveau` `dossier`):
    /// every number a document of the report shows, and the `departement`
    /// of each row.
    pub fn a_publier(&self, departement: &str, periode: Periode) -> PolarsResult<DataFrame> {
        let mut lignes = vec![self.table.clone().lazy().with_column(sans_commune())];
        lignes.push(self.parts_publiees(periode)?);
        lignes.push(self.serie_publiee(departement, periode)?);
        if let Some(ml) = &self.missions_locales {
            lignes.push(structures_publiees(&ml.structures, ml.annee));
        }
        lignes.push(totaux_des_financements(&self.table)?);
        if let Some(dossiers) = &self.dossiers {
            lignes.push(dossiers_publies(dossiers, periode)?);
        }
        concat(lignes, UnionArgs::default())?
            .with_column(lit(departement).alias(DEPARTEMENT))
            .collect()
    }

    /// The parts of the QPV lying on several communes, named after their
    /// QPV, after the QPV's rows.
    fn parts_publiees(&self, periode: Periode) -> PolarsResult<LazyFrame> {
        let noms = self
            .table
            .clone()
            .lazy()
            .filter(col(NIVEAU).eq(lit(niveaux::QPV)))
            .select([col(CODE), col(LIBELLE)])
            .unique_stable(None, UniqueKeepStrategy::First);
        let colonnes = colonnes_publiees(col(CODE_COMMUNE));
        let communes = col(CODE_COMMUNE)
            .count()
            .over([col("code_qpv"), col(INDICATEUR)])?;
        Ok(self
            .parts_communales
            .clone()
            .lazy()
            .filter(communes.gt(lit(1)))
            .with_columns([
                lit(periode.to_string()).alias(PERIODE),
                lit(niveaux::QPV).alias(NIVEAU),
                col("code_qpv").alias(CODE),
                lit(mesures::EFFECTIF).alias(MESURE),
            ])
            .with_columns(sans_details())
            .join(
                noms,
                [col(CODE)],
                [col(CODE)],
                JoinArgs::new(JoinType::Left),
            )
            .sort(
                [CODE, CODE_COMMUNE, INDICATEUR],
                SortMultipleOptions::default(),
            )
            .select(colonnes))
    }

    /// The département's demand, whole and in QPV, of the quarters before
    /// `periode` (those of `periode` are in the long table).
    fn serie_publiee(&self, departement: &str, periode: Periode) -> PolarsResult<LazyFrame> {
        let s = &self.serie_departement;
        let (p, ind) = (s.column(PERIODE)?.i32()?, s.column(INDICATEUR)?.str()?);
        let (v, st) = (s.column(VALEUR)?.f64()?, s.column(STATUT)?.u32()?);
        let avant: Vec<usize> = (0..s.height())
            .filter(|&i| p.get(i).is_some_and(|x| x < periode.index()))
            .collect();
        let nom = self
            .table
            .clone()
            .lazy()
            .filter(col(NIVEAU).eq(lit(niveaux::DEPARTEMENT)))
            .select([col(LIBELLE).first()])
            .collect()?;
        let nom = nom.column(LIBELLE)?.str()?.get(0).map(str::to_string);
        let periodes: Vec<String> = avant
            .iter()
            .map(|&i| Periode::depuis_index(p.get(i).unwrap_or(0)).to_string())
            .collect();
        let n = avant.len();
        let serie = df![
            PERIODE => periodes,
            NIVEAU => vec![niveaux::DEPARTEMENT; n],
            CODE => vec![departement; n],
            LIBELLE => vec![nom; n],
            INDICATEUR => avant.iter().map(|&i| ind.get(i)).collect::<Vec<_>>(),
            MESURE => vec![mesures::EFFECTIF; n],
            VALEUR => avant.iter().map(|&i| v.get(i)).collect::<Vec<_>>(),
            STATUT => avant.iter().map(|&i| st.get(i)).collect::<Vec<_>>(),
        ]?;
        let colonnes = colonnes_publiees(sans_commune());
        Ok(serie.lazy().with_columns(sans_details()).select(colonnes))
    }

    /// Evolutions on a count masked in an earlier published report stay
    /// masked (DOMAIN.md, "Quarter after quarter"): `mesure`'s rows of the
    /// counts `masquees` (`niveau|code|indicateur`, as that report
    /// published them) become secret, so that this report's evolution
    /// cannot give the earlier masked count away.
    pub fn masquer_evolutions(&mut self, masquees: &[String], mesure: &str) -> PolarsResult<()> {
        if masquees.is_empty() {
            return Ok(());
        }
        let cles = Series::new("cles".into(), masquees);
        let cle = col(NIVEAU) + lit("|") + col(CODE) + lit("|") + col(INDICATEUR);
        let visee = col(MESURE)
            .eq(lit(mesure))
            .and(cle.is_in(lit(cles).implode(false), false));
        let secret = crate::modele::Statut::Secret.code();
        self.table = self
            .table
            .clone()
            .lazy()
            .with_column(
                when(visee)
                    .then(lit(secret))
                    .otherwise(col(STATUT))
                    .alias(STATUT),
            )
            .with_column(expressions::masquer())
            .collect()?;
        Ok(())
    }
}

/// The funding figures the documents sum: each dispositif and wave, all
/// dossier statuses together (`statut_dossier` empty) by localisation, and
/// every localisation too (`localisation` empty as well).
fn totaux_des_financements(table: &DataFrame) -> PolarsResult<LazyFrame> {
    let financements = table.clone().lazy().filter(
        col(INDICATEUR)
            .eq(lit(financements::FINANCEMENTS))
            .or(col(INDICATEUR).eq(lit(financements::FINANCEMENTS_COMMUNE_QPV))),
    );
    let total = |cles: &[&str]| {
        let mut c: Vec<Expr> = [PERIODE, NIVEAU, CODE, LIBELLE, INDICATEUR, MESURE]
            .into_iter()
            .chain(cles.iter().copied())
            .map(col)
            .collect();
        c.push(col(DISPOSITIF));
        c.push(col(VAGUE));
        financements
            .clone()
            .group_by_stable(c)
            .agg([col(VALEUR).sum(), col(STATUT).max()])
            .with_column(expressions::masquer())
            .with_columns(sans_precisions())
    };
    let colonnes = colonnes_publiees(sans_commune());
    let vide = || lit(NULL).cast(DataType::String);
    concat(
        [
            total(&[LOCALISATION])
                .with_column(vide().alias(STATUT_DOSSIER))
                .select(colonnes.clone()),
            total(&[STATUT_DOSSIER])
                .with_column(vide().alias(LOCALISATION))
                .select(colonnes.clone()),
            total(&[])
                .with_columns([vide().alias(LOCALISATION), vide().alias(STATUT_DOSSIER)])
                .select(colonnes),
        ],
        UnionArgs::default(),
    )
}

/// Each funded dossier of the register, in its order: its amount, with
/// what it is about; `code` its QPV, `code_commune` its commune.
fn dossiers_publies(
    dossiers: &[financements::Dossier],
    periode: Periode,
) -> PolarsResult<LazyFrame> {
    let n = dossiers.len();
    let texte = |f: fn(&financements::Dossier) -> &str| -> Vec<Option<&str>> {
        dossiers
            .iter()
            .map(|d| Some(f(d)).filter(|t| !t.is_empty()))
            .collect()
    };
    let statut = |d: &financements::Dossier| match d.montant {
        Some(_) => crate::modele::Statut::Valeur.code(),
        None => crate::modele::Statut::NonDisponible.code(),
    };
    let libelles: Vec<String> = dossiers
        .iter()
        .map(|d| format!("{} — {}", d.porteur, d.intitule))
        .collect();
    let table = df![
        PERIODE => vec![periode.to_string(); n],
        NIVEAU => vec![niveaux::DOSSIER; n],
        CODE => texte(|d| &d.code_qpv),
        LIBELLE => libelles,
        INDICATEUR => vec![financements::FINANCEMENTS; n],
        MESURE => vec![mesures::MONTANT_EUR; n],
        VALEUR => dossiers.iter().map(|d| d.montant).collect::<Vec<_>>(),
        STATUT => dossiers.iter().map(statut).collect::<Vec<u32>>(),
        DISPOSITIF => texte(|d| &d.dispositif),
        VAGUE => texte(|d| &d.vague),
        LOCALISATION => texte(|d| &d.localisation),
        STATUT_DOSSIER => texte(|d| &d.statut),
        CODE_COMMUNE => texte(|d| &d.code_commune),
    ]?;
    let colonnes = colonnes_publiees(col(CODE_COMMUNE));
    Ok(table
        .lazy()
        .with_columns(sans_precisions())
        .select(colonnes))
}

/// Each mission locale's counts of year `annee`, in the long form.
fn structures_publiees(structures: &DataFrame, annee: i32) -> LazyFrame {
    let colonnes = colonnes_publiees(sans_commune());
    structures
        .clone()
        .lazy()
        .filter(col("annee").eq(lit(annee)))
        .with_columns([
            col("annee").cast(DataType::String).alias(PERIODE),
            lit(niveaux::MISSION_LOCALE).alias(NIVEAU),
            col("code_structure").alias(CODE),
            col("nom_structure").alias(LIBELLE),
            lit(mesures::EFFECTIF).alias(MESURE),
        ])
        .with_columns(sans_details())
        .select(colonnes)
}

/// A département-level figure as a published annex gave it.
#[derive(Debug, Clone)]
pub struct ChiffrePrecedent {
    /// `2020T3`.
    pub periode: String,
    pub indicateur: String,
    pub mesure: String,
    /// None when it was not published as a value (`statut`).
    pub valeur: Option<f64>,
    pub statut: Statut,
}

/// The previous quarter's published annex (its `indicateurs.csv`), the
/// département's own rows: public figures already.
#[derive(Debug, Clone)]
pub struct AnnexePrecedente {
    pub periode: Periode,
    pub chiffres: Vec<ChiffrePrecedent>,
}

impl AnnexePrecedente {
    /// Its figure of quarter `periode` (`2020T3`), if it published one.
    pub fn chiffre(
        &self,
        periode: &str,
        indicateur: &str,
        mesure: &str,
    ) -> Option<&ChiffrePrecedent> {
        self.chiffres
            .iter()
            .find(|c| c.periode == periode && c.indicateur == indicateur && c.mesure == mesure)
    }
}

/// What the documents show of the missions locales besides the long
/// table's rows.
#[derive(Debug, Clone)]
pub struct MissionsLocalesCalculees {
    /// Indicators present in the inputs, in output order.
    pub indicateurs: Vec<&'static str>,
    /// Structure by structure (`annee`, `code_structure`, `nom_structure`,
    /// `indicateur`, `valeur`, `statut`), secrecy applied.
    pub structures: DataFrame,
    /// The year shown: the latest of the export up to the quarter's year
    /// (the quarter's year when the export holds none).
    pub annee: i32,
}

/// Column order of the long table: the figure, then, on funding rows, what
/// it is about (dispositif, wave, localisation, dossier status).
pub fn colonnes_sortie() -> [Expr; 15] {
    [
        col(PERIODE),
        col(NIVEAU),
        col(CODE),
        col(LIBELLE),
        col(INDICATEUR),
        col(MESURE),
        col(VALEUR),
        col(STATUT).cast(DataType::UInt32),
        col(DISPOSITIF),
        col(VAGUE),
        col(LOCALISATION),
        col(STATUT_DOSSIER),
        col(CATEGORIE),
        col(DEPUIS),
        col(AU),
    ]
}

/// The funding detail columns, empty, for the other families.
pub fn sans_details() -> [Expr; 7] {
    [
        DISPOSITIF,
        VAGUE,
        LOCALISATION,
        STATUT_DOSSIER,
        CATEGORIE,
        DEPUIS,
        AU,
    ]
    .map(|c| lit(NULL).cast(DataType::String).alias(c))
}

/// The scheme detail columns, empty, for the funding rows.
pub fn sans_precisions() -> [Expr; 3] {
    [CATEGORIE, DEPUIS, AU].map(|c| lit(NULL).cast(DataType::String).alias(c))
}
