//! The département cut: each row of the national inputs marked with the
//! département it belongs to, then the inputs cut into one part per
//! département, in one pass per table.

use polars::prelude::*;

use crate::erreur::Resultat;
use crate::lecture::Entrees;
use crate::modele::colonnes::{CODE, DEPARTEMENT_LIGNE, FICHIER, LIGNE, NIVEAU};
use crate::modele::departements::{self, Parts};
use crate::modele::niveaux;
use crate::modele::{
    DemandeursEmploi, Dispositifs, Financements, MissionsLocales, Referentiel, Revision, Structures,
};

/// The départements asked for: a filter on [`DEP`].
struct Demandes(Series);

impl Demandes {
    fn retenir(&self, lf: LazyFrame) -> LazyFrame {
        lf.filter(col(DEP).is_in(lit(self.0.clone()).implode(false), false))
    }
}

/// The national inputs with the département each row belongs to
/// ([`DEPARTEMENT_LIGNE`]), for the départements of `codes`: a QPV row
/// goes to each département of its communes (an intercommunal QPV with
/// every commune of it), communes, EPT, EPCI and département rows to theirs,
/// funding dossiers and missions locales to theirs; rows without
/// département (a dossier without commune, a missions locales export
/// without `departement` column) go to the département of
/// `conseil.toml`. One pass per table for the whole country; every
/// table keeps the national rows' order, so that a département gives
/// the same figures alone or in a national run.
pub fn marquer(entrees: &Entrees, codes: &[String], configure: &str) -> Resultat<Marquees> {
    let demandes = Demandes(Series::new(DEP.into(), codes));
    let lignes = entrees.referentiel.lignes.clone().lazy();
    // A QPV belongs to the département of each of its communes.
    let qpv_deps = lignes
        .clone()
        .select([
            col("code_qpv"),
            departements::expr_departement(col("code_commune")).alias(DEP),
        ])
        .filter(col(DEP).is_not_null())
        .unique_stable(None, UniqueKeepStrategy::First);
    let referentiel = demandes
        .retenir(lignes.join(
            qpv_deps.clone(),
            [col("code_qpv")],
            [col("code_qpv")],
            dans_l_ordre(JoinType::Inner),
        ))
        .collect()?;
    let territoires = territoires(&entrees.referentiel, qpv_deps.clone())?;
    let mesures = demandes
        .retenir(mesures_marquees(&entrees.demandeurs, territoires))
        .collect()?;
    let financements = match &entrees.financements {
        Some(f) => Some(financements_marques(f, &demandes, configure)?),
        None => None,
    };
    let missions_locales = match &entrees.missions_locales {
        Some(ml) => Some(missions_locales_marquees(ml, &demandes, configure)?),
        None => None,
    };
    let dispositifs = match &entrees.dispositifs {
        Some(d) => Some(dispositifs_marques(d, &demandes, qpv_deps)?),
        None => None,
    };
    let structures =
        match &entrees.structures {
            Some(s) => Some(Structures {
                lignes: demandes
                    .retenir(s.lignes.clone().lazy().with_column(
                        departements::expr_departement(col("code_commune")).alias(DEP),
                    ))
                    .collect()?,
                fichiers: s.fichiers.clone(),
            }),
            None => None,
        };
    Ok(Marquees {
        referentiel: Referentiel {
            lignes: referentiel,
            composition: entrees.referentiel.composition.clone(),
        },
        demandeurs: DemandeursEmploi {
            mesures,
            ..entrees.demandeurs.clone()
        },
        financements,
        missions_locales,
        dispositifs,
        structures,
    })
}

/// The département of each QPV (`qpv_deps`) and intercommunality (EPT or
/// EPCI; an EPCI over two départements in each): (`_niveau`, `_code`,
/// `_dep_territoire`), a territory once per département.
fn territoires(referentiel: &Referentiel, qpv_deps: LazyFrame) -> PolarsResult<LazyFrame> {
    let interco_deps = referentiel
        .communes_interco()?
        .filter(col("code_interco").is_not_null())
        .select([
            col("niveau_interco").alias("_niveau"),
            col("code_interco").alias("_code"),
            departements::expr_departement(col("code_commune")).alias(DEP),
        ]);
    Ok(concat(
        [
            qpv_deps.select([
                lit(niveaux::QPV).alias("_niveau"),
                col("code_qpv").alias("_code"),
                col(DEP),
            ]),
            interco_deps,
        ],
        UnionArgs::default(),
    )?
    .filter(col(DEP).is_not_null())
    .unique_stable(None, UniqueKeepStrategy::First)
    .rename(
        ["_niveau", "_code", DEP],
        ["_niveau", "_code", "_dep_territoire"],
        true,
    ))
}

/// The job-seeker rows with their département: the code itself for a
/// département's rows, the commune's for a commune's, the territory's
/// ([`territoires`]) for a QPV's or an EPT's.
fn mesures_marquees(de: &DemandeursEmploi, territoires: LazyFrame) -> LazyFrame {
    let niveau = || col(NIVEAU);
    de.mesures
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
            .then(departements::expr_departement(col(CODE)))
            .otherwise(col("_dep_territoire"))
            .alias(DEP),
        )
        .drop(by_name(["_dep_territoire"], true, false))
}

/// `c`, the département of a row, or the configured one where it has none.
fn ou_configure(c: Expr, configure: &str) -> Expr {
    c.fill_null(lit(configure)).alias(DEP)
}

fn financements_marques(
    f: &Financements,
    demandes: &Demandes,
    configure: &str,
) -> PolarsResult<Financements> {
    Ok(Financements {
        dossiers: demandes
            .retenir(f.dossiers.clone().lazy().with_column(ou_configure(
                departements::expr_departement(col("code_commune")),
                configure,
            )))
            .collect()?,
        fichiers: f.fichiers.clone(),
        // An envelope without département is the configured one's.
        enveloppes: match f.enveloppes.width() {
            0 => f.enveloppes.clone(),
            _ => demandes
                .retenir(
                    f.enveloppes
                        .clone()
                        .lazy()
                        .with_column(ou_configure(col("departement"), configure)),
                )
                .collect()?,
        },
    })
}

/// A scheme row goes to its département: the code of a département row,
/// a commune's, each of a QPV's; in the files' order.
fn dispositifs_marques(
    d: &Dispositifs,
    demandes: &Demandes,
    qpv_deps: LazyFrame,
) -> PolarsResult<Dispositifs> {
    let lignes = d.lignes.clone().lazy();
    let territoires = lignes
        .clone()
        .filter(col(NIVEAU).neq(lit(niveaux::QPV)))
        .with_column(
            when(col(NIVEAU).eq(lit(niveaux::DEPARTEMENT)))
                .then(col(CODE))
                .otherwise(departements::expr_departement(col(CODE)))
                .alias(DEP),
        );
    let quartiers = lignes.filter(col(NIVEAU).eq(lit(niveaux::QPV))).join(
        qpv_deps,
        [col(CODE)],
        [col("code_qpv")],
        dans_l_ordre(JoinType::Inner),
    );
    let marquees = concat([territoires, quartiers], UnionArgs::default())?
        .sort([FICHIER, LIGNE, DEP], SortMultipleOptions::default());
    Ok(Dispositifs {
        lignes: demandes.retenir(marquees).collect()?,
        fichiers: d.fichiers.clone(),
    })
}

fn missions_locales_marquees(
    ml: &MissionsLocales,
    demandes: &Demandes,
    configure: &str,
) -> PolarsResult<MissionsLocales> {
    let avec = |df: &DataFrame| {
        demandes
            .retenir(
                df.clone()
                    .lazy()
                    .with_column(ou_configure(col("departement"), configure)),
            )
            .collect()
    };
    Ok(MissionsLocales {
        mesures: avec(&ml.mesures)?,
        objectifs: avec(&ml.objectifs)?,
        ..ml.clone()
    })
}

/// The inputs each département's annex reads, in the order of `codes`:
/// the rows [`marquer`] gave it.
pub fn decouper(
    entrees: &Entrees,
    marquees: &Marquees,
    codes: &[String],
) -> Resultat<Vec<Entrees>> {
    let referentiel = Parts::new(&marquees.referentiel.lignes)?;
    let mesures = Parts::new(&marquees.demandeurs.mesures)?;
    let dossiers = match &marquees.financements {
        Some(f) => Some((
            Parts::new(&f.dossiers)?,
            match f.enveloppes.width() {
                0 => None,
                _ => Some(Parts::new(&f.enveloppes)?),
            },
        )),
        None => None,
    };
    let ml = match &marquees.missions_locales {
        Some(ml) => Some((Parts::new(&ml.mesures)?, Parts::new(&ml.objectifs)?)),
        None => None,
    };
    let dispositifs = match &marquees.dispositifs {
        Some(d) => Some(Parts::new(&d.lignes)?),
        None => None,
    };
    let structures = match &marquees.structures {
        Some(s) => Some(Parts::new(&s.lignes)?),
        None => None,
    };
    codes
        .iter()
        .map(|code| {
            Ok(Entrees {
                referentiel: Referentiel {
                    lignes: referentiel.de(code),
                    composition: entrees.referentiel.composition.clone(),
                },
                demandeurs: {
                    let mesures = mesures.de(code);
                    DemandeursEmploi {
                        revisions: revisions_de(&mesures, &entrees.demandeurs.revisions)?,
                        mesures,
                        ..entrees.demandeurs.clone()
                    }
                },
                missions_locales: match (&ml, &entrees.missions_locales) {
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
                financements: match (&dossiers, &entrees.financements) {
                    (Some((d, e)), Some(national)) => Some(Financements {
                        dossiers: d.de(code),
                        fichiers: national.fichiers.clone(),
                        enveloppes: e
                            .as_ref()
                            .map(|e| e.de(code))
                            .unwrap_or_else(DataFrame::empty),
                    }),
                    _ => None,
                },
                dispositifs: match (&dispositifs, &entrees.dispositifs) {
                    (Some(d), Some(national)) => {
                        let lignes = d.de(code);
                        (lignes.height() > 0).then(|| Dispositifs {
                            lignes,
                            fichiers: national.fichiers.clone(),
                        })
                    }
                    _ => None,
                },
                echeances: entrees.echeances.clone(),
                structures: match (&structures, &entrees.structures) {
                    (Some(s), Some(national)) => {
                        let lignes = s.de(code);
                        (lignes.height() > 0).then(|| Structures {
                            lignes,
                            fichiers: national.fichiers.clone(),
                        })
                    }
                    _ => None,
                },
                tables: entrees.tables.clone(),
                avertissements: Vec::new(),
            })
        })
        .collect()
}

/// The revisions about the territories of a département's cut `mesures`
/// (few: a set of its codes, not a join).
fn revisions_de(mesures: &DataFrame, revisions: &[Revision]) -> PolarsResult<Vec<Revision>> {
    if revisions.is_empty() {
        return Ok(Vec::new());
    }
    let niveaux = mesures.column(NIVEAU)?.str()?;
    let codes = mesures.column(CODE)?.str()?;
    let territoires: std::collections::HashSet<(&str, &str)> = niveaux
        .iter()
        .zip(codes.iter())
        .filter_map(|(n, c)| Some((n?, c?)))
        .collect();
    Ok(revisions
        .iter()
        .filter(|r| territoires.contains(&(r.niveau.as_str(), r.code.as_str())))
        .cloned()
        .collect())
}

/// The national inputs, each row marked with its département
/// ([`marquer`]).
pub struct Marquees {
    pub referentiel: Referentiel,
    pub demandeurs: DemandeursEmploi,
    pub missions_locales: Option<MissionsLocales>,
    pub financements: Option<Financements>,
    pub dispositifs: Option<Dispositifs>,
    pub structures: Option<Structures>,
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
            "niveau_interco" => texte(&["ept", "ept", "ept", "ept"]),
            "code_interco" => texte(&["T5", "T6", "T5", "T7"]),
            "nom_interco" => texte(&["T5", "T6", "T5", "T7"]),
            "nature_interco" => texte(&["EPT", "EPT", "EPT", "EPT"]),
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
                composition: None,
            },
            demandeurs: DemandeursEmploi {
                mesures,
                publics: Vec::new(),
                fichiers: Vec::new(),
                revisions: Vec::new(),
            },
            missions_locales: None,
            financements: None,
            dispositifs: None,
            echeances: None,
            structures: None,
            tables: Vec::new(),
            avertissements: Vec::new(),
        };
        let codes = texte(&["92", "93", "94"]);
        let marquees = marquer(&entrees, &codes, "92").unwrap();
        let parts = decouper(&entrees, &marquees, &codes).unwrap();
        let colonne = |df: &DataFrame, c: &str| crate::modele::textes(df, c).unwrap();
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
