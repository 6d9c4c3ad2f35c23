//! Scheme counts as the annex shows them: for each scheme, indicator,
//! category and territory, the latest count given (a quarter or a year
//! starting on or before the council's date), and the later targets;
//! the count, its part in QPV, the target and the achievement rate.
//! Counts of people are under statistical secrecy, like any other: the
//! counts of 1 to 4 are masked, then what would give them away (the part
//! outside QPV, a category against the scheme's total). All départements
//! at once ([`Demande`]).

use polars::prelude::*;

use super::expressions::{plus_grave, SansCse};
use super::protection::{proteger_lignes, Bilans};
use super::{colonnes_sortie, Demande};
use crate::erreur::Resultat;
use crate::modele::colonnes::*;
use crate::modele::departements::{remarquer, Parts};
use crate::modele::{mesures, niveaux, textes, Dispositifs, Referentiel, Statut, SUFFIXE_QPV};
use crate::secret::tables::{Cellule, Ligne, Structures};
use crate::secret::Bilan;
use crate::secret::Case;

/// The département of each row.
const D: &str = DEPARTEMENT_LIGNE;

/// Each département's scheme rows, secrecy applied when `demande` asks
/// for it: in the long table's columns, and as the documents draw them
/// ([`large`]).
pub fn calculer(
    d: &Dispositifs,
    referentiel: &Referentiel,
    demande: &Demande,
) -> Resultat<(Parts, Parts, Option<Bilans>)> {
    let retenues = retenir(d.lignes.clone().lazy(), demande.limite)?.collect()?;
    let (protegees, bilans) = match demande.seuil_secret {
        Some(seuil) => {
            let structures = Structures::new(referentiel, demande.periode)?;
            let (p, b) = proteger_par_departement(retenues, &structures, seuil)?;
            (p, Some(b))
        }
        None => (retenues, None),
    };
    let large = large(protegees.lazy(), libelles(referentiel, demande)?).collect()?;
    Ok((
        Parts::new(&en_long(large.clone().lazy())?)?,
        Parts::new(&large)?,
        bilans,
    ))
}

/// For each scheme, indicator, category and territory: the rows starting
/// on or before `limite` (AAAAMMJJ), of them the latest with a count, and
/// the later ones that carry a target.
fn retenir(lignes: LazyFrame, limite: i32) -> PolarsResult<LazyFrame> {
    let cle = [D, DISPOSITIF, INDICATEUR, CATEGORIE, NIVEAU, CODE].map(col);
    let dernier = col("fin")
        .filter(col(STATUT).eq(lit(Statut::Valeur.code())))
        .max()
        .over(cle)?;
    let cible = col("statut_objectif").eq(lit(Statut::Valeur.code()));
    Ok(lignes
        .filter(col("debut").lt_eq(lit(limite)))
        .with_column(dernier.alias("_dernier"))
        .filter(
            col("fin")
                .eq(col("_dernier"))
                .or(cible.and(col("_dernier").is_null().or(col("fin").gt(col("_dernier")))))
                .fill_null(lit(false)),
        )
        .sort([FICHIER, LIGNE, D], SortMultipleOptions::default()))
}

/// Secrecy on each département's rows, on the département's territories
/// of `structures`; the tally of each.
fn proteger_par_departement(
    lignes: DataFrame,
    structures: &Structures,
    seuil: u32,
) -> Resultat<(DataFrame, Bilans)> {
    let mut sortie = lignes.clear();
    let ordre = lignes.get_column_names_owned();
    let mut bilans = Bilans::new();
    for part in lignes.partition_by_stable([D], true)? {
        let code = part
            .column(D)?
            .str()?
            .get(0)
            .unwrap_or_default()
            .to_string();
        let (protegee, bilan) = proteger(part.drop(D)?, (&code, structures), seuil)?;
        sortie.vstack_mut(&remarquer(protegee, &code)?.select(ordre.clone())?)?;
        bilans.insert(code, bilan);
    }
    Ok((sortie, bilans))
}

/// The counts of people of one département's rows, each row's count and
/// its part in QPV (where one is given), as cells of the linked tables
/// (`secret::tables`: the part outside QPV, the QPV within their
/// communes, the categories within their total are generated there).
fn proteger(
    lignes: DataFrame,
    (departement, structures): (&str, &Structures),
    seuil: u32,
) -> PolarsResult<(DataFrame, Bilan)> {
    let n = lignes.height();
    let case = |v: &str, s: &str| -> PolarsResult<Vec<Case>> {
        let (v, s) = (lignes.column(v)?.f64()?, lignes.column(s)?.u32()?);
        Ok((0..n)
            .map(|i| Case {
                valeur: v.get(i),
                statut: Statut::de_la_case(s.get(i)),
            })
            .collect())
    };
    let personnes = lignes.column("personnes")?.bool()?;
    let mut cases = case(VALEUR, STATUT)?;
    cases.extend(case("valeur_qpv", "statut_qpv")?);
    let [periode, niveau, code, dispositif, indicateur, categorie] =
        [PERIODE, NIVEAU, CODE, DISPOSITIF, INDICATEUR, CATEGORIE].map(|c| textes(&lignes, c));
    let (periode, niveau, code) = (periode?, niveau?, code?);
    let (dispositif, indicateur, categorie) = (dispositif?, indicateur?, categorie?);
    // Cells: counts [0, n), QPV parts [n, 2n), the latter published
    // only where given.
    let cles: Vec<Option<Cellule>> = (0..2 * n)
        .map(|k| {
            let (i, en_qpv) = (k % n, k >= n);
            let donnee = !en_qpv || cases[k].statut != Statut::NonDisponible;
            if personnes.get(i) != Some(true) || !donnee {
                return None;
            }
            let suffixe = if en_qpv { SUFFIXE_QPV } else { "" };
            Cellule::de_la_ligne(&Ligne {
                periode: &periode[i],
                niveau: &niveau[i],
                code: &code[i],
                commune: "",
                indicateur: &format!("{}{suffixe}", indicateur[i]),
                categorie: &categorie[i],
                dispositif: Some(&dispositif[i]),
            })
        })
        .collect();
    let la_structure = |periode: &str| structures.de(departement, periode);
    let (protegees, bilans) = proteger_lignes(&cles, &cases, &la_structure, departement, seuil)?;
    let mut bilan = Bilan::default();
    for b in bilans.into_values() {
        bilan += b;
    }
    let mut df = lignes;
    let colonne = |cases: &[Case], v: &str, s: &str| -> [Column; 2] {
        [
            Column::new(v.into(), cases.iter().map(|c| c.valeur).collect::<Vec<_>>()),
            Column::new(
                s.into(),
                cases.iter().map(|c| c.statut.code()).collect::<Vec<_>>(),
            ),
        ]
    };
    for c in colonne(&protegees[..n], VALEUR, STATUT)
        .into_iter()
        .chain(colonne(&protegees[n..], "valeur_qpv", "statut_qpv"))
    {
        df.with_column(c)?;
    }
    Ok((df, bilan))
}

/// The figures each row shows besides its count: the part in QPV and the
/// achievement rate (`part_qpv`/`statut_part`, `taux`/`statut_taux`); a
/// figure from a masked or missing one is not a value. Territories
/// named, dates written `AAAA-MM-JJ`: the wide table the documents draw.
fn large(lignes: LazyFrame, libelles: LazyFrame) -> LazyFrame {
    let valeur = lit(Statut::Valeur.code());
    let ratio = |num: &str, sn: &str, den: &str, sd: &str| {
        let statut = when(col(den).eq(lit(0.0)).and(col(sd).eq(valeur.clone())))
            .then(lit(Statut::NonDisponible.code()))
            .otherwise(plus_grave(col(sn), col(sd)))
            .cast(DataType::UInt32);
        (
            when(statut.clone().eq(valeur.clone()))
                .then(col(num) / col(den))
                .otherwise(lit(NULL).cast(DataType::Float64)),
            statut,
        )
    };
    let (part, statut_part) = ratio("valeur_qpv", "statut_qpv", VALEUR, STATUT);
    let (taux, statut_taux) = ratio(VALEUR, STATUT, "objectif", "statut_objectif");
    lignes
        .join(
            libelles,
            [col(NIVEAU), col(CODE)],
            [col(NIVEAU), col(CODE)],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            col("nom").fill_null(col(CODE)).alias(LIBELLE),
            part.alias("part_qpv"),
            statut_part.alias("statut_part"),
            taux.alias("taux"),
            statut_taux.alias("statut_taux"),
            iso(DEPUIS),
            iso(AU),
        ])
        .sort([D, FICHIER, LIGNE], SortMultipleOptions::default())
}

/// The long table's rows of the wide one: the count (an amount for a
/// scheme counted in euros), the target and the achievement rate where a
/// target is given, the QPV count and part where one is given.
fn en_long(large: LazyFrame) -> PolarsResult<DataFrame> {
    let nd = lit(Statut::NonDisponible.code());
    let a_qpv = col("statut_qpv").neq(nd.clone());
    let a_cible = col("statut_objectif").neq(nd);
    // Counts of people are `effectif` (under secrecy); of things, `nombre`.
    let personnes = || {
        when(col("personnes"))
            .then(lit(mesures::EFFECTIF))
            .otherwise(lit(mesures::NOMBRE))
    };
    let compte = || {
        when(col("euros"))
            .then(lit(mesures::MONTANT_EUR))
            .otherwise(personnes())
    };
    let qpv = col(INDICATEUR) + lit(SUFFIXE_QPV);
    let figure = |filtre: Expr, indicateur: Expr, mesure: Expr, (v, s): (&str, &str), rang: u32| {
        large.clone().filter(filtre).with_columns([
            indicateur.alias("_indicateur"),
            mesure.alias(MESURE),
            col(v).alias("_valeur"),
            col(s).alias("_statut"),
            lit(rang).alias("_rang"),
        ])
    };
    let toutes = [
        figure(lit(true), col(INDICATEUR), compte(), (VALEUR, STATUT), 0),
        figure(
            a_cible.clone(),
            col(INDICATEUR),
            lit(mesures::OBJECTIF),
            ("objectif", "statut_objectif"),
            1,
        ),
        figure(
            a_cible,
            col(INDICATEUR),
            lit(mesures::TAUX_REALISATION),
            ("taux", "statut_taux"),
            2,
        ),
        figure(
            a_qpv.clone(),
            qpv.clone(),
            compte(),
            ("valeur_qpv", "statut_qpv"),
            3,
        ),
        figure(
            a_qpv,
            qpv,
            lit(mesures::PART),
            ("part_qpv", "statut_part"),
            4,
        ),
    ];
    let mut sortie = vec![col(D)];
    sortie.extend(colonnes_sortie());
    concat(toutes, UnionArgs::default())?
        .drop(by_name([INDICATEUR, VALEUR, STATUT], true, false))
        .rename(
            ["_indicateur", "_valeur", "_statut"],
            [INDICATEUR, VALEUR, STATUT],
            true,
        )
        .with_columns([
            lit(NULL).cast(DataType::String).alias(VAGUE),
            lit(NULL).cast(DataType::String).alias(LOCALISATION),
            lit(NULL).cast(DataType::String).alias(STATUT_DOSSIER),
        ])
        .sort([D, FICHIER, LIGNE, "_rang"], SortMultipleOptions::default())
        .select(sortie)
        .sans_cse()
        .collect()
}

/// A date AAAAMMJJ as `AAAA-MM-JJ`.
fn iso(c: &str) -> Expr {
    let deux_chiffres = |x: Expr| {
        when(x.clone().lt(lit(10)))
            .then(lit("0") + x.clone().cast(DataType::String))
            .otherwise(x.cast(DataType::String))
    };
    (quotient(col(c), 10_000).cast(DataType::String)
        + lit("-")
        + deux_chiffres(quotient(col(c) % lit(10_000), 100))
        + lit("-")
        + deux_chiffres(col(c) % lit(100)))
    .alias(c)
}

/// Territory names: the département's from the run, communes' and QPV's
/// from the referential (and INSEE's compositions).
fn libelles(referentiel: &Referentiel, demande: &Demande) -> PolarsResult<LazyFrame> {
    let r = referentiel.lignes.clone().lazy();
    Ok(concat(
        [
            referentiel.communes_interco()?.select([
                lit(niveaux::COMMUNE).alias(NIVEAU),
                col("code_commune").alias(CODE),
                col("nom_commune").alias("nom"),
            ]),
            r.select([
                lit(niveaux::QPV).alias(NIVEAU),
                col("code_qpv").alias(CODE),
                col("nom_qpv").alias("nom"),
            ]),
            demande.noms()?.select([
                lit(niveaux::DEPARTEMENT).alias(NIVEAU),
                col(D).alias(CODE),
                col(LIBELLE).alias("nom"),
            ]),
        ],
        UnionArgs::default(),
    )?
    .filter(col(CODE).is_not_null())
    .unique_stable(
        Some(by_name([NIVEAU, CODE], true, false)),
        UniqueKeepStrategy::First,
    ))
}

/// The integer quotient of a positive `a` by `b` (polars' `floor_div`
/// needs a feature this build does not have).
fn quotient(a: Expr, b: i32) -> Expr {
    (a.cast(DataType::Float64) / lit(f64::from(b))).cast(DataType::Int32)
}
