//! The benchmark's baseline for detail-level ingest (docs/performance.md):
//! a bare polars streaming group-by over a `demandeurs_emploi_detail.csv`,
//! the same counts as `qpv-annexe` computes, with no checks, no messages,
//! no indicators.
//!
//! ```sh
//! cargo run --release --example polars_brut -- demandeurs_emploi_detail.csv
//! ```

use polars::prelude::*;

fn main() -> PolarsResult<()> {
    let chemin = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "demandeurs_emploi_detail.csv".into());
    let entiers = ["age", "anciennete_mois", "niveau_formation", "diplome"];
    let schema: Schema = entiers
        .iter()
        .map(|c| Field::new((*c).into(), DataType::Int32))
        .collect();
    let categorie = col("categorie");
    let comptes = LazyCsvReader::new(PlRefPath::new(chemin.as_str()))
        .with_separator(b';')
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_dtype_overwrite(Some(Arc::new(schema)))
        .finish()?
        .filter(
            categorie
                .clone()
                .eq(lit("A"))
                .or(categorie.clone().eq(lit("B")))
                .or(categorie.eq(lit("C"))),
        )
        .group_by([col("periode"), col("code_commune"), col("code_qpv")])
        .agg([
            len().alias("de_abc"),
            col("age").lt(lit(26)).cast(DataType::UInt32).sum(),
            col("age")
                .gt_eq(lit(50))
                .cast(DataType::UInt32)
                .sum()
                .alias("a50"),
            col("anciennete_mois")
                .gt_eq(lit(12))
                .cast(DataType::UInt32)
                .sum(),
            col("niveau_formation")
                .lt_eq(lit(3))
                .cast(DataType::UInt32)
                .sum(),
            col("diplome").eq(lit(0)).cast(DataType::UInt32).sum(),
        ])
        .collect_with_engine(Engine::Streaming)?;
    if let polars_core::query_result::QueryResult::Single(df) = comptes {
        let total: u64 = df
            .column("de_abc")?
            .u32()?
            .iter()
            .flatten()
            .map(u64::from)
            .sum();
        eprintln!("{} groupes, {total} demandeurs ABC", df.height());
    }
    Ok(())
}
