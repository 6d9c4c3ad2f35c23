//! Funding indicators: number of dossiers and amounts by dispositif × wave
//! × localisation × dossier status, for the département, each
//! intercommunality (EPT or EPCI) and each commune. A dossier without a
//! commune counts for the département only; an intercommunality holds the
//! dossiers of the communes the referential (and INSEE's composition)
//! places in it. All départements at once ([`Demande`]).

use std::collections::HashMap;

use polars::prelude::*;

use super::expressions::{avec_rang, masquer, SansCse};
use super::territoires::{libelles_des_territoires, qpv_de_la_liste};
use super::{colonnes_sortie, sans_precisions, Demande};
use crate::erreur::Resultat;
use crate::modele::colonnes::*;
use crate::modele::departements::Parts;
use crate::modele::{
    mesures, niveaux, textes, Financements, Referentiel, Statut, LOCALISATIONS, STATUTS_DOSSIER,
};

/// The département of each row.
const D: &str = DEPARTEMENT_LIGNE;

/// Name of the funding indicator; what it is about is in the detail columns.
pub const FINANCEMENTS: &str = "financements";
/// The same, for the dossiers of the communes that have a QPV, at the
/// département's level.
pub const FINANCEMENTS_COMMUNE_QPV: &str = "financements_commune_qpv";

/// What a funding figure is about, besides its territory.
const DETAILS: [&str; 4] = [DISPOSITIF, VAGUE, LOCALISATION, STATUT_DOSSIER];

/// Each département's funding rows. `f` is marked ([`Demande`]);
/// `referentiel` is the national one, whose communes place each dossier in
/// its EPT or EPCI and name the territories.
pub fn calculer(f: &Financements, referentiel: &Referentiel, demande: &Demande) -> Resultat<Parts> {
    let dossiers = f.dossiers.clone().lazy().filter(
        col("code_commune")
            .is_null()
            .or(col("code_commune").str().starts_with(col(D)))
            .and(decide_a_temps(demande.periode)),
    );
    let du_trimestre = dossiers.clone();
    // Every commune of an EPT or EPCI counts in it, with a QPV or not
    // (INSEE's composition when given).
    let communes = referentiel.communes_interco()?;
    // The dossiers of the communes that have a QPV of the period's list
    // ("10 projets situés dans des villes comportant des QPV").
    let communes_qpv = referentiel
        .lignes
        .clone()
        .lazy()
        .filter(qpv_de_la_liste(demande.periode))
        .select([col("code_commune").alias("_commune_qpv")])
        .unique(None, UniqueKeepStrategy::First);
    let en_commune_qpv = dossiers
        .clone()
        .join(
            communes_qpv,
            [col("code_commune")],
            [col("_commune_qpv")],
            JoinArgs::new(JoinType::Inner),
        )
        .with_column(col(D).alias(CODE));
    let groupes = concat(
        [
            groupes(dossiers, &communes)?.with_column(lit(FINANCEMENTS).alias("_indicateur")),
            agreger(au_niveau(en_commune_qpv, niveaux::DEPARTEMENT))
                .with_column(lit(FINANCEMENTS_COMMUNE_QPV).alias("_indicateur")),
        ],
        UnionArgs::default(),
    )?;
    let lignes = nombres_et_montants(groupes)?;
    let mut table = ordonner(
        lignes,
        libelles_des_territoires(communes, demande)?,
        demande,
    )?;
    table.vstack_mut(&complements(du_trimestre, demande)?)?;
    if f.enveloppes.width() > 0 {
        table.vstack_mut(&enveloppes(&f.enveloppes, demande)?)?;
    }
    Ok(Parts::new(&table)?)
}

/// What the optional columns of the registers add, for the département,
/// every dossier status together and status by status (the documents say
/// what was granted first): the amounts by nature (grant or loan,
/// `financements_par_nature`, `categorie` the nature), the amounts
/// requested (`financements_demande`), the total cost of the projects
/// (`financements_cout_total`), the quantities by unit
/// (`financements_quantite`, mesure `nombre`, `categorie` the unit: "355
/// logements"). A column no dossier fills gives no row.
fn complements(dossiers: LazyFrame, demande: &Demande) -> PolarsResult<DataFrame> {
    let somme_par = |valeur: &str,
                     indicateur: &str,
                     mesure: &str,
                     categorie: Option<&str>,
                     par_statut: bool| {
        let mut cles = vec![col(D), col(DISPOSITIF), col(VAGUE)];
        cles.push(if par_statut {
            col(STATUT_DOSSIER).alias("_statut")
        } else {
            lit(NULL).cast(DataType::String).alias("_statut")
        });
        let mut lf = dossiers.clone().filter(col(valeur).is_not_null());
        match categorie {
            Some(c) => {
                lf = lf.filter(col(c).is_not_null());
                cles.push(col(c).alias(CATEGORIE));
            }
            None => cles.push(lit(NULL).cast(DataType::String).alias(CATEGORIE)),
        }
        lf.group_by(cles)
            .agg([col(valeur).sum().alias(VALEUR)])
            .with_columns([
                lit(indicateur.to_string()).alias(INDICATEUR),
                lit(mesure.to_string()).alias(MESURE),
            ])
    };
    let somme = |valeur: &str, indicateur: &str, mesure: &str, categorie: Option<&str>| {
        concat(
            [false, true]
                .map(|par_statut| somme_par(valeur, indicateur, mesure, categorie, par_statut)),
            UnionArgs::default(),
        )
    };
    let mut sortie = vec![col(D)];
    sortie.extend(colonnes_sortie());
    let sommes = concat(
        [
            somme(
                "montant_eur",
                "financements_par_nature",
                mesures::MONTANT_EUR,
                Some("nature"),
            )?,
            somme(
                "montant_demande_eur",
                "financements_demande",
                mesures::MONTANT_EUR,
                None,
            )?,
            somme(
                "cout_total_eur",
                "financements_cout_total",
                mesures::MONTANT_EUR,
                None,
            )?,
            somme(
                "quantite",
                "financements_quantite",
                mesures::NOMBRE,
                Some("unite"),
            )?,
        ],
        UnionArgs::default(),
    )?;
    // Every status together first, then each in its order.
    let mut rang = lit(STATUTS_DOSSIER.len() as i32 + 1);
    for (i, st) in STATUTS_DOSSIER.iter().enumerate().rev() {
        rang = when(col(STATUT_DOSSIER).eq(lit(*st)))
            .then(lit(i as i32 + 1))
            .otherwise(rang);
    }
    let rang = when(col(STATUT_DOSSIER).is_null())
        .then(lit(0))
        .otherwise(rang);
    au_departement(sommes, demande)?
        .with_columns([
            col("_statut").alias(STATUT_DOSSIER),
            lit(Statut::Valeur.code())
                .cast(DataType::UInt32)
                .alias(STATUT),
            lit(NULL).cast(DataType::String).alias(DEPUIS),
            lit(NULL).cast(DataType::String).alias(AU),
        ])
        .sort_by_exprs(
            [
                col(D),
                col(DISPOSITIF),
                col(VAGUE),
                col(INDICATEUR),
                col(CATEGORIE),
                rang,
            ],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .select(sortie)
        .collect()
}

/// The envelope of a scheme and wave, as the documents say it.
#[derive(Debug, Clone)]
pub struct Enveloppe {
    pub dispositif: String,
    pub vague: String,
    pub montant: Option<f64>,
}

/// A département's envelopes (its cut of `enveloppes*.csv`).
pub fn enveloppes_du_departement(e: &DataFrame) -> PolarsResult<Vec<Enveloppe>> {
    if e.width() == 0 {
        return Ok(Vec::new());
    }
    let (d, v) = (textes(e, DISPOSITIF)?, textes(e, VAGUE)?);
    let m = e.column("montant_eur")?.f64()?;
    Ok((0..e.height())
        .map(|i| Enveloppe {
            dispositif: d[i].clone(),
            vague: v[i].clone(),
            montant: m.get(i),
        })
        .collect())
}

/// `lf`, one row per département (`D`) and figure, as rows of the
/// département's level: its name, the quarter, every localisation and
/// dossier status together.
fn au_departement(lf: LazyFrame, demande: &Demande) -> PolarsResult<LazyFrame> {
    Ok(lf
        .join(
            demande.noms()?,
            [col(D)],
            [col(D)],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            lit(demande.periode.to_string()).alias(PERIODE),
            lit(niveaux::DEPARTEMENT).alias(NIVEAU),
            col(D).alias(CODE),
            lit(NULL).cast(DataType::String).alias(LOCALISATION),
            lit(NULL).cast(DataType::String).alias(STATUT_DOSSIER),
        ]))
}

/// Name of the envelope of a scheme and wave, at the département's level.
pub const ENVELOPPE: &str = "enveloppe";

/// The envelopes in the long table's columns: département level,
/// indicator `enveloppe`, mesure `montant_eur`.
fn enveloppes(e: &DataFrame, demande: &Demande) -> PolarsResult<DataFrame> {
    let mut sortie = vec![col(D)];
    sortie.extend(colonnes_sortie());
    au_departement(e.clone().lazy(), demande)?
        .with_columns([
            lit(ENVELOPPE).alias(INDICATEUR),
            lit(mesures::MONTANT_EUR).alias(MESURE),
            col("montant_eur").alias(VALEUR),
        ])
        .with_columns(sans_precisions())
        .select(sortie)
        .collect()
}

/// The dossiers of `lf` summed by `niveau`, `code` and detail.
fn agreger(lf: LazyFrame) -> LazyFrame {
    let mut cles: Vec<Expr> = vec![col(D), col(NIVEAU), col(CODE)];
    cles.extend(DETAILS.map(col));
    lf.group_by(cles).agg([
        len().cast(DataType::Float64).alias("nb"),
        col("montant_eur").sum(),
        col(STATUT).max(),
    ])
}

/// `lf` at level `niveau`.
fn au_niveau(lf: LazyFrame, niveau: &str) -> LazyFrame {
    lf.with_column(lit(niveau.to_string()).alias(NIVEAU))
}

fn groupes(dossiers: LazyFrame, communes: &LazyFrame) -> PolarsResult<LazyFrame> {
    let departemental = agreger(au_niveau(
        dossiers.clone().with_column(col(D).alias(CODE)),
        niveaux::DEPARTEMENT,
    ));
    let par_commune = agreger(au_niveau(
        dossiers
            .clone()
            .filter(col("code_commune").is_not_null())
            .with_column(col("code_commune").alias(CODE)),
        niveaux::COMMUNE,
    ));
    let par_interco = agreger(
        dossiers
            .join(
                communes.clone(),
                [col("code_commune")],
                [col("code_commune")],
                JoinArgs::new(JoinType::Inner),
            )
            .filter(col("code_interco").is_not_null())
            .with_columns([
                col("niveau_interco").alias(NIVEAU),
                col("code_interco").alias(CODE),
            ]),
    );
    concat(
        [departemental, par_interco, par_commune],
        UnionArgs::default(),
    )
}

/// Two figures per group: how many dossiers, and how much.
fn nombres_et_montants(groupes: LazyFrame) -> PolarsResult<LazyFrame> {
    let nombre = groupes.clone().with_columns([
        lit(mesures::NB_DOSSIERS).alias(MESURE),
        col("nb").alias(VALEUR),
        lit(Statut::Valeur.code())
            .cast(DataType::UInt32)
            .alias(STATUT),
    ]);
    let montant = groupes
        .with_columns([
            lit(mesures::MONTANT_EUR).alias(MESURE),
            col("montant_eur").alias(VALEUR),
        ])
        .with_column(masquer());
    let mut sel = vec![
        col(D),
        col(NIVEAU),
        col(CODE),
        col(MESURE),
        col(VALEUR),
        col(STATUT),
        col("_indicateur"),
    ];
    sel.extend(DETAILS.map(col));
    concat(
        [nombre.select(sel.clone()), montant.select(sel)],
        UnionArgs::default(),
    )
}

/// The rows in the long table's columns and order.
fn ordonner(lignes: LazyFrame, libelles: LazyFrame, demande: &Demande) -> PolarsResult<DataFrame> {
    let mut sortie = vec![col(D)];
    sortie.extend(colonnes_sortie());
    let lignes = avec_rang(lignes, NIVEAU, &niveaux::SORTIE.map(String::from))?;
    let lignes = avec_rang(lignes, LOCALISATION, &LOCALISATIONS.map(String::from))?;
    let lignes = avec_rang(lignes, STATUT_DOSSIER, &STATUTS_DOSSIER.map(String::from))?;
    let lignes = avec_rang(lignes, MESURE, &mesures::ORDRE.map(String::from))?;
    lignes
        .join(
            libelles,
            [col(NIVEAU), col(CODE)],
            [col(NIVEAU), col(CODE)],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            lit(demande.periode.to_string()).alias(PERIODE),
            col("_indicateur").alias(INDICATEUR),
            col(LIBELLE).fill_null(col(CODE)).alias(LIBELLE),
        ])
        .with_columns(sans_precisions())
        .sort_by_exprs(
            [
                col(D),
                col("rang_niveau"),
                col(CODE),
                col(INDICATEUR),
                col(DISPOSITIF),
                col(VAGUE),
                col("rang_localisation"),
                col("rang_statut_dossier"),
                col("rang_mesure"),
            ],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .select(sortie)
        .sans_cse()
        .collect()
}

/// One dossier as the documents list it (the registers are public: each
/// dossier is shown with its amount).
#[derive(Debug, Clone)]
pub struct Dossier {
    /// The programme of its dispositif ("Plan de relance"), empty when
    /// the register does not say.
    pub programme: String,
    pub dispositif: String,
    pub vague: String,
    pub porteur: String,
    pub intitule: String,
    pub commune: String,
    pub code_commune: String,
    pub code_qpv: String,
    pub localisation: String,
    pub montant: Option<f64>,
    pub statut: String,
    /// The name of its QPV (empty without one).
    pub nom_qpv: String,
    /// Whether its commune has a QPV of the period's list.
    pub commune_qpv: bool,
    /// `subvention` or `pret`, empty when not given.
    pub nature: String,
    /// A quantity and its unit ("355 logements"), when given.
    pub quantite: Option<(f64, String)>,
    /// The project's total cost, when given.
    pub cout_total: Option<f64>,
    /// The date of the decision, `AAAAMMJJ`, when given.
    pub date_decision: Option<i32>,
    /// What the open-data file says of it beyond the rest: the
    /// beneficiary's SIRET, the decision's reference, the payment date or
    /// period (`AAAA-MM-JJ[/AAAA-MM-JJ]`), each empty when not given.
    pub siret: String,
    pub reference_decision: String,
    pub dates_versement: String,
}

/// The dossiers of the département, in register order.
/// A dossier counts for the quarter unless it was decided after its end.
fn decide_a_temps(periode: crate::modele::Periode) -> Expr {
    col("date_decision")
        .is_null()
        .or(col("date_decision").lt_eq(lit(periode.fin_aaaammjj())))
}

/// The dossiers of the département, in register order, and how many were
/// left out for being decided after the quarter's end.
pub fn dossiers(
    f: &Financements,
    referentiel: &Referentiel,
    departement: &str,
    periode: crate::modele::Periode,
) -> PolarsResult<(Vec<Dossier>, Vec<String>)> {
    let (noms_qpv, communes_qpv) = noms_et_communes_qpv(referentiel, periode)?;
    let communes = noms_des_communes(referentiel)?;
    let du_departement = f.dossiers.clone().lazy().filter(
        col("code_commune")
            .is_null()
            .or(col("code_commune").str().starts_with(lit(departement))),
    );
    // One pass over the registers: the dossiers and whether each counts.
    let tous = du_departement
        .with_column(decide_a_temps(periode).alias("_a_temps"))
        .collect()?;
    let a_temps = tous.column("_a_temps")?.bool()?;
    let d = tous.filter(a_temps)?;
    // The commune of each dossier decided after the quarter ("" without
    // one): the documents say they are left out.
    let apres: Vec<String> = textes(&tous.filter(&!a_temps)?, "code_commune")?;
    let texte = |c: &str| textes(&d, c);
    let (disp, vag, port, intit, comm, qpv_, loc, st) = (
        texte(DISPOSITIF)?,
        texte(VAGUE)?,
        texte("porteur")?,
        texte("intitule")?,
        texte("code_commune")?,
        texte("code_qpv")?,
        texte(LOCALISATION)?,
        texte(STATUT_DOSSIER)?,
    );
    let montants = d.column("montant_eur")?.f64()?;
    let (natures, unites) = (texte("nature")?, texte("unite")?);
    let programmes = texte("programme")?;
    let quantites = d.column("quantite")?.f64()?;
    let couts = d.column("cout_total_eur")?.f64()?;
    let dates = d.column("date_decision")?.i32()?;
    let (sirets, references, versements) = (
        texte("siret")?,
        texte("reference_decision")?,
        texte("dates_versement")?,
    );
    let dossiers = (0..d.height())
        .map(|i| Dossier {
            programme: programmes[i].clone(),
            dispositif: disp[i].clone(),
            vague: vag[i].clone(),
            porteur: port[i].clone(),
            intitule: intit[i].clone(),
            commune: communes
                .get(&comm[i])
                .cloned()
                .unwrap_or_else(|| comm[i].clone()),
            code_commune: comm[i].clone(),
            code_qpv: qpv_[i].clone(),
            localisation: loc[i].clone(),
            montant: montants.get(i),
            statut: st[i].clone(),
            nom_qpv: noms_qpv.get(&qpv_[i]).cloned().unwrap_or_default(),
            commune_qpv: communes_qpv.contains(&comm[i]),
            nature: natures[i].clone(),
            quantite: quantites.get(i).map(|q| (q, unites[i].clone())),
            cout_total: couts.get(i),
            date_decision: dates.get(i),
            siret: sirets[i].clone(),
            reference_decision: references[i].clone(),
            dates_versement: versements[i].clone(),
        })
        .collect();
    Ok((dossiers, apres))
}

/// The name of each QPV of the referential, and the communes having a QPV
/// of the period's list.
fn noms_et_communes_qpv(
    referentiel: &Referentiel,
    periode: crate::modele::Periode,
) -> PolarsResult<(HashMap<String, String>, std::collections::HashSet<String>)> {
    let r = &referentiel.lignes;
    let (qpv, noms, communes) = (
        r.column("code_qpv")?.str()?,
        r.column("nom_qpv")?.str()?,
        r.column("code_commune")?.str()?,
    );
    let prefixe = periode.generation().prefixe();
    let mut n: HashMap<String, String> = HashMap::new();
    let mut c = std::collections::HashSet::new();
    for i in 0..r.height() {
        if let (Some(q), Some(nom)) = (qpv.get(i), noms.get(i)) {
            n.entry(q.to_string()).or_insert_with(|| nom.to_string());
            if let (true, Some(commune)) = (q.starts_with(prefixe), communes.get(i)) {
                c.insert(commune.to_string());
            }
        }
    }
    Ok((n, c))
}

/// The name of each commune of the referential and of INSEE's
/// compositions, by its code.
fn noms_des_communes(referentiel: &Referentiel) -> PolarsResult<HashMap<String, String>> {
    let r = &referentiel.communes_interco()?.collect()?;
    let codes = r.column("code_commune")?.str()?;
    let noms = r.column("nom_commune")?.str()?;
    Ok(codes
        .iter()
        .zip(noms.iter())
        .filter_map(|(c, n)| Some((c?.to_string(), n?.to_string())))
        .collect())
}
