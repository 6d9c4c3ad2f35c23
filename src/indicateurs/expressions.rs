//! Small expression helpers shared by the indicator families: how statuses
//! combine, and how a figure is masked when its status is not "value".

use polars::prelude::*;

use crate::modele::colonnes::*;
use crate::modele::Statut;

/// The more serious of two statuses (nulls read as "not available": a
/// figure that is not there is never a value).
pub fn plus_grave(a: Expr, b: Expr) -> Expr {
    let nd = lit(Statut::NonDisponible.code());
    let (a, b) = (a.fill_null(nd.clone()), b.fill_null(nd));
    when(a.clone().gt_eq(b.clone()))
        .then(a)
        .otherwise(b)
        .cast(DataType::UInt32)
}

/// `valeur` set to null wherever `statut` is not "value".
pub fn masquer() -> Expr {
    when(col(STATUT).eq(lit(Statut::Valeur.code())))
        .then(col(VALEUR))
        .otherwise(lit(NULL).cast(DataType::Float64))
        .alias(VALEUR)
}

/// Sum of `valeur` over groups, the status of a group being the most
/// serious of its members': a total with one secret or missing part is not
/// a number.
pub fn somme(lf: LazyFrame, cles: &[&str]) -> LazyFrame {
    lf.group_by(cles.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .agg([col(VALEUR).sum(), col(STATUT).max()])
        .with_column(masquer())
}

/// Rows of `primaire`, plus those of `secours` whose keys `primaire` lacks.
pub fn preferer(
    primaire: LazyFrame,
    secours: LazyFrame,
    cles: &[&str],
    colonnes: &[&str],
) -> PolarsResult<LazyFrame> {
    let cles_e: Vec<Expr> = cles.iter().map(|c| col(*c)).collect();
    let mut marque_sel = cles_e.clone();
    marque_sel.push(lit(true).alias("_present"));
    let marque = primaire
        .clone()
        .select(marque_sel)
        .unique(None, UniqueKeepStrategy::First);
    let reste = secours
        .join(
            marque,
            cles_e.clone(),
            cles_e,
            JoinArgs::new(JoinType::Left),
        )
        .filter(col("_present").is_null());
    let sel: Vec<Expr> = colonnes.iter().map(|c| col(*c)).collect();
    concat(
        [primaire.select(sel.clone()), reste.select(sel)],
        UnionArgs::default(),
    )
}

/// Ratio `num / den` with its status: not available when the denominator
/// is missing or zero.
pub fn ratio(num: Expr, st_num: Expr, den: Expr, st_den: Expr) -> [Expr; 2] {
    let st = plus_grave(st_num, st_den);
    let st = when(den.clone().eq(lit(0.0)))
        .then(plus_grave(st.clone(), lit(Statut::NonDisponible.code())))
        .otherwise(st);
    [(num / den).alias(VALEUR), st.alias(STATUT)]
}

/// Common-subexpression elimination turned off for one query (see the note
/// in `indicators/mod.rs`; polars exposes the toggle only with its `cse`
/// feature, the flag itself always). The other optimisations stay: turning
/// off predicate, projection and slice pushdown, expression simplification
/// and order tracking saved 12 % when each département ran its own queries
/// on a few hundred rows, and nothing measurable since all départements run
/// in the same queries (docs/performance.md).
pub trait SansCse {
    fn sans_cse(self) -> LazyFrame;
}

impl SansCse for LazyFrame {
    fn sans_cse(self) -> LazyFrame {
        let mut options = self.get_current_optimizations();
        options.set(OptFlags::COMM_SUBEXPR_ELIM, false);
        self.with_optimizations(options)
    }
}

/// `lf` with a column `rang_<nom>`: the position of its `nom` value in
/// `valeurs`, for sorting in a meaningful rather than alphabetical order
/// (values not listed come last).
pub fn avec_rang(lf: LazyFrame, nom: &str, valeurs: &[String]) -> PolarsResult<LazyFrame> {
    let rangs: Vec<u32> = (0..valeurs.len() as u32).collect();
    let table = DataFrame::new_infer_height(vec![
        Column::new(nom.into(), valeurs.to_vec()),
        Column::new(format!("rang_{nom}").into(), rangs),
    ])?
    .lazy();
    Ok(lf
        .join(table, [col(nom)], [col(nom)], JoinArgs::new(JoinType::Left))
        .with_column(col(format!("rang_{nom}")).fill_null(lit(u32::MAX))))
}
