//! Scheme counts as the annex shows them: for each scheme, indicator,
//! category and territory, the latest count given (a quarter or a year
//! starting on or before the council's date), and the later targets;
//! the count, its part in QPV, the target and the achievement rate.
//! Counts of people are under statistical secrecy, like any other: the
//! counts of 1 to 4 are masked, then what would give them away (the part
//! outside QPV, a category against the scheme's total). All départements
//! at once ([`Demande`]).

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use super::expressions::{plus_grave, SansCse};
use super::protection::completer_systeme;
use super::{colonnes_sortie, Demande};
use crate::erreur::Resultat;
use crate::modele::colonnes::*;
use crate::modele::departements::{remarquer, Parts};
use crate::modele::{mesures, niveaux, textes, Dispositifs, Referentiel, Statut, SUFFIXE_QPV};
use crate::secret::dispositifs::{
    cle_hors_qpv, ChiffreDispositif, CleDispositif, SystemeDispositifs,
};
use crate::secret::{complementaire, primaire, Case, Relation};

/// The département of each row.
const D: &str = DEPARTEMENT_LIGNE;

/// Each département's scheme rows, secrecy applied when `demande` asks
/// for it: in the long table's columns, and as the documents draw them
/// ([`large`]).
pub fn calculer(
    d: &Dispositifs,
    referentiel: &Referentiel,
    demande: &Demande,
) -> Resultat<(Parts, Parts)> {
    let retenues = retenir(d.lignes.clone().lazy(), demande.limite)?.collect()?;
    let protegees = match demande.seuil_secret {
        Some(seuil) => proteger_par_departement(retenues, seuil)?,
        None => retenues,
    };
    let large = large(protegees.lazy(), libelles(referentiel, demande)?).collect()?;
    Ok((
        Parts::new(&en_long(large.clone().lazy())?)?,
        Parts::new(&large)?,
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

/// Secrecy on each département's rows (few: a set of relations in Rust).
fn proteger_par_departement(lignes: DataFrame, seuil: u32) -> Resultat<DataFrame> {
    let mut sortie = lignes.clear();
    let ordre = lignes.get_column_names_owned();
    for part in lignes.partition_by_stable([D], true)? {
        let code = part
            .column(D)?
            .str()?
            .get(0)
            .unwrap_or_default()
            .to_string();
        let protegee = remarquer(proteger(part.drop(D)?, &code, seuil)?, &code)?;
        sortie.vstack_mut(&protegee.select(ordre.clone())?)?;
    }
    Ok(sortie)
}

/// The cells of one département's rows: each row's count, its part in
/// QPV, and, unpublished, its part outside QPV (the count less the QPV
/// part), which must not be recoverable either.
fn proteger(lignes: DataFrame, departement: &str, seuil: u32) -> PolarsResult<DataFrame> {
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
    let (totaux, qpv) = (case(VALEUR, STATUT)?, case("valeur_qpv", "statut_qpv")?);
    let hors: Vec<Case> = totaux
        .iter()
        .zip(&qpv)
        .map(|(t, q)| Case {
            valeur: t.valeur.zip(q.valeur).map(|(t, q)| t - q),
            statut: if t.statut == Statut::Valeur && q.statut == Statut::Valeur {
                Statut::Valeur
            } else {
                Statut::NonDisponible
            },
        })
        .collect();
    // Cells: totals [0, n), QPV parts [n, 2n), parts outside QPV [2n, 3n).
    let mut cellules: Vec<Case> = totaux.into_iter().chain(qpv).chain(hors).collect();
    let originales = cellules.clone();
    let hors_secret: Vec<usize> = (0..n)
        .filter(|&i| personnes.get(i) == Some(true))
        .flat_map(|i| [i, n + i, 2 * n + i])
        .collect();
    let mut sous_secret: Vec<Case> = hors_secret.iter().map(|&k| cellules[k]).collect();
    primaire(&mut sous_secret, seuil);
    let relations = relations(&lignes, &hors_secret)?;
    complementaire(&mut sous_secret, &relations);
    for (k, c) in hors_secret.iter().zip(sous_secret) {
        cellules[*k] = c;
    }
    completer_globalement(&lignes, (&mut cellules, &originales), departement, seuil)?;
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
    for c in colonne(&cellules[..n], VALEUR, STATUT)
        .into_iter()
        .chain(colonne(&cellules[n..2 * n], "valeur_qpv", "statut_qpv"))
    {
        df.with_column(c)?;
    }
    Ok(df)
}

/// The attacker's audit on the counts of people once the relations are
/// protected (`secret::dispositifs`: the communes and QPV within the
/// département, shares, rates), and complements masked until it gives
/// nothing away; cells as in [`proteger`].
fn completer_globalement(
    lignes: &DataFrame,
    (cellules, originales): (&mut [Case], &[Case]),
    departement: &str,
    seuil: u32,
) -> PolarsResult<()> {
    let n = lignes.height();
    let personnes = lignes.column("personnes")?.bool()?;
    let cle = [PERIODE, NIVEAU, CODE, DISPOSITIF, INDICATEUR, CATEGORIE]
        .map(|c| textes(lignes, c))
        .into_iter()
        .collect::<PolarsResult<Vec<_>>>()?;
    let mut chiffres = Vec::new();
    let mut index: HashMap<CleDispositif, usize> = HashMap::new();
    // The parts outside QPV masked as primary: never published, they are
    // counts the audit must not give away either.
    let mut hors_secretes = Vec::new();
    for i in (0..n).filter(|&i| personnes.get(i) == Some(true)) {
        for (k, suffixe) in [(i, ""), (n + i, SUFFIXE_QPV)] {
            let c = cellules[k];
            let chiffre = ChiffreDispositif {
                periode: cle[0][i].clone(),
                niveau: cle[1][i].clone(),
                code: cle[2][i].clone(),
                dispositif: cle[3][i].clone(),
                indicateur: format!("{}{suffixe}", cle[4][i]),
                categorie: cle[5][i].clone(),
                mesure: mesures::EFFECTIF.to_string(),
                valeur: c.valeur.filter(|_| c.statut == Statut::Valeur),
                secret: c.statut == Statut::Secret,
            };
            if suffixe.is_empty() && cellules[2 * n + i].statut == Statut::Secret {
                hors_secretes.push(cle_hors_qpv(&chiffre.cle()));
            }
            index.insert(chiffre.cle(), k);
            chiffres.push(chiffre);
        }
    }
    let mut sys = SystemeDispositifs::new(&chiffres);
    let mut secretes = sys.secretes.clone();
    secretes.extend(hors_secretes.iter().filter_map(|k| sys.indice(k)));
    if secretes.is_empty() {
        return Ok(());
    }
    // An unpublished part has no cell: it can be neither masked nor shown.
    let cellule: Vec<Option<usize>> = sys.cles.iter().map(|c| index.get(c).copied()).collect();
    let niveaux: Vec<&str> = sys.cles.iter().map(|c| c.1.as_str()).collect();
    completer_systeme(
        (&mut sys.publie, secretes),
        (&cellule, &niveaux),
        (cellules, originales),
        departement,
        seuil,
    )
}

/// The relations between the cells under secrecy (`cellules[k]` is cell
/// `k` of [`proteger`]; `n` rows): each row's count is its QPV part plus
/// the rest; a scheme's total, for an indicator, period and territory, is
/// the sum of its categories, in all and in QPV.
fn relations(lignes: &DataFrame, cellules: &[usize]) -> PolarsResult<Vec<Relation>> {
    let n = lignes.height();
    let position = |k: usize| cellules.iter().position(|&c| c == k);
    let mut sortie: Vec<Relation> = (0..n)
        .filter_map(|i| {
            Some(Relation {
                total: position(i)?,
                parties: vec![position(n + i)?, position(2 * n + i)?],
            })
        })
        .collect();
    let cle = [DISPOSITIF, INDICATEUR, PERIODE, NIVEAU, CODE]
        .map(|c| textes(lignes, c))
        .into_iter()
        .collect::<PolarsResult<Vec<_>>>()?;
    let categories = textes(lignes, CATEGORIE)?;
    let mut groupes: BTreeMap<Vec<&str>, (Option<usize>, Vec<usize>)> = BTreeMap::new();
    for i in 0..n {
        let g = groupes
            .entry(cle.iter().map(|c| c[i].as_str()).collect())
            .or_default();
        if categories[i].is_empty() {
            g.0 = Some(i);
        } else {
            g.1.push(i);
        }
    }
    for (total, parties) in groupes.into_values() {
        let Some(t) = total.filter(|_| !parties.is_empty()) else {
            continue;
        };
        for decalage in [0, n] {
            let parties: Option<Vec<usize>> =
                parties.iter().map(|&p| position(decalage + p)).collect();
            if let (Some(total), Some(parties)) = (position(decalage + t), parties) {
                sortie.push(Relation { total, parties });
            }
        }
    }
    Ok(sortie)
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
/// from the referential.
fn libelles(referentiel: &Referentiel, demande: &Demande) -> PolarsResult<LazyFrame> {
    let r = referentiel.lignes.clone().lazy();
    Ok(concat(
        [
            r.clone().select([
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
