//! `conseil.toml` and the command line, resolved once into [`Reglages`].
//!
//! Only the `[conseil]` keys are required; everything else has a default so
//! that the minimal file of DOMAIN.md always runs. Unknown keys are refused:
//! a misspelt optional key would otherwise be silently ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::erreur::{Erreur, Probleme, Resultat};
use crate::modele::{departements, Periode};

/// Everything a run needs, checked.
#[derive(Debug, Clone)]
pub struct Reglages {
    pub fichier_config: PathBuf,
    /// Folder holding `conseil.toml`, where inputs are looked for.
    pub dossier_entrees: PathBuf,
    pub dossier_rapports: PathBuf,
    /// Replace an existing report of the same period.
    pub remplacer: bool,
    /// `--date-rectificative`: the date of the rectified version `--force`
    /// publishes (otherwise the day it runs).
    pub date_rectificative: Option<Date>,
    /// Internal report: unmasked figures, said so in every file.
    pub interne: bool,
    /// Wait for another run holding the reports folder, rather than stop.
    pub attendre: bool,
    pub conseil: Conseil,
    /// The département of `conseil.toml`, whatever [`Reglages::pour_departement`]
    /// made of `conseil`.
    pub departement_configure: String,
    /// `--departements`; [`Reglages::pour_departement`] gives each one's
    /// reglages.
    pub selection: Selection,
    pub documents: Documents,
    pub seuil_secret: u32,
    pub publies: Vec<ChiffrePublie>,
    pub entrees: FichiersEntree,
    /// `[envoi]`, checked by the `send` command.
    pub envoi: Option<ReglagesEnvoi>,
    /// `[donnees_ouvertes]`: who grants the funding, for the open-data
    /// file (SCDL "subventions"); none, no such file.
    pub donnees_ouvertes: Option<DonneesOuvertes>,
}

#[derive(Debug, Clone)]
pub struct Conseil {
    pub titre: String,
    /// `date` of `[conseil]`, else the first council of `[calendrier]`
    /// after the quarter's end; `None`: the documents carry the quarter
    /// alone.
    pub date: Option<Date>,
    pub departement: String,
    pub nom_departement: String,
    pub periode: Periode,
}

impl Conseil {
    /// What the documents are for: "Conseil territorial de la politique
    /// de la Ville du 27 avril 2021", or without a council date "Annexe
    /// statistique — 4e trimestre 2020".
    pub fn intitule(&self) -> String {
        match self.date {
            Some(d) => format!("{} du {}", self.titre, d.en_toutes_lettres()),
            None => format!("Annexe statistique — {}", self.periode.libelle_long()),
        }
    }

    /// The date the documents carry (properties, message headers): the
    /// council's, else the quarter's last day, from the settings or the
    /// data, never the clock (reproducible bytes).
    pub fn date_documents(&self) -> Date {
        self.date
            .unwrap_or_else(|| Date::fin_de_trimestre(self.periode))
    }
}

/// Where the period is looked for when neither `--periode` nor
/// `[conseil] periode` gives it: the finder `main.rs` passes to
/// [`Reglages::resoudre`] (the exports for `run` and `validate`, the
/// published reports for `send` and `audit`).
pub struct Recherche<'a> {
    /// The départements of the run; empty for every one (`--departements
    /// all`).
    pub departements: Vec<String>,
    pub entrees: &'a FichiersEntree,
    pub dossier_rapports: &'a Path,
    pub interne: bool,
}

/// The period finder given to [`Reglages::resoudre`].
pub type TrouverPeriode<'a> = &'a dyn Fn(&Recherche) -> Resultat<Periode>;

/// How the documents present themselves.
#[derive(Debug, Clone)]
pub struct Documents {
    /// First line of the title block ("PRÉFET DES HAUTS-DE-SEINE").
    pub entete: String,
    /// The service signing the documents (author of the files).
    pub service: String,
    /// Adjective of the département's inhabitants ("alto-séquanais"), if any.
    pub adjectif: Option<String>,
}

/// A figure already published elsewhere, compared with the computed one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChiffrePublie {
    pub source: String,
    pub libelle: String,
    pub niveau: String,
    pub code: Option<String>,
    pub indicateur: String,
    pub mesure: String,
    pub valeur: f64,
}

/// Input files, found by name prefix unless named in `[entrees]`.
#[derive(Debug, Clone)]
pub struct FichiersEntree {
    pub referentiel: Vec<PathBuf>,
    /// INSEE's compositions of the EPT and of the EPCI (optional).
    pub compositions: Vec<PathBuf>,
    pub demandeurs: Vec<PathBuf>,
    /// One row per job seeker (`demandeurs_emploi_detail*`), aggregated by
    /// the program into the same figures.
    pub demandeurs_detail: Vec<PathBuf>,
    /// DARES "demandeurs d'emploi par commune" open data.
    pub dares: Vec<PathBuf>,
    /// Optional sources: none found, no section.
    pub missions_locales: Vec<PathBuf>,
    pub objectifs: Vec<PathBuf>,
    pub financements: Vec<PathBuf>,
    /// Counts of employment and city-policy schemes (`dispositifs*`).
    pub dispositifs: Vec<PathBuf>,
    /// Calls for projects and their deadlines (`calendrier*`).
    pub echeances: Vec<PathBuf>,
    /// Structures and labels (`structures*`).
    pub structures: Vec<PathBuf>,
    /// Envelopes of the funding schemes (`enveloppes*`).
    pub enveloppes: Vec<PathBuf>,
    pub contacts: Vec<PathBuf>,
}

/// A calendar date (the council's), `AAAA-MM-JJ` in the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(chrono::NaiveDate);

impl Date {
    /// Exactly `AAAA-MM-JJ`, a date of the calendar.
    pub fn lire(texte: &str) -> Option<Date> {
        let t = texte.trim();
        let forme = t.len() == 10
            && t.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !forme {
            return None;
        }
        chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .map(Date)
    }

    pub fn annee(self) -> i32 {
        chrono::Datelike::year(&self.0)
    }

    pub fn mois(self) -> u8 {
        chrono::Datelike::month(&self.0) as u8
    }

    pub fn jour(self) -> u8 {
        chrono::Datelike::day(&self.0) as u8
    }

    /// The date as the number AAAAMMJJ (2021-04-27 → 20210427).
    pub fn aaaammjj(self) -> i32 {
        self.annee() * 10_000 + i32::from(self.mois()) * 100 + i32::from(self.jour())
    }

    /// The last day of a quarter: 2020T4 → 2020-12-31.
    pub fn fin_de_trimestre(p: Periode) -> Date {
        let (annee, mois) = if p.trimestre >= 4 {
            (p.annee + 1, 1)
        } else {
            (p.annee, u32::from(p.trimestre) * 3 + 1)
        };
        let debut_suivant =
            chrono::NaiveDate::from_ymd_opt(annee, mois, 1).unwrap_or(chrono::NaiveDate::MAX);
        Date(debut_suivant.pred_opt().unwrap_or(debut_suivant))
    }

    /// Today, on this machine's calendar: only the date of a rectified
    /// version when none is given (`run --force --date-rectificative`).
    pub fn aujourdhui() -> Date {
        Date(chrono::Local::now().date_naive())
    }

    /// `2021-04-27`.
    pub fn iso(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    /// Midnight UTC of that day.
    pub fn minuit(self) -> std::time::SystemTime {
        let secondes = self
            .0
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .timestamp();
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(secondes.max(0) as u64)
    }

    /// "27 avril 2021".
    pub fn en_toutes_lettres(self) -> String {
        crate::format::date_en_lettres(
            self.annee(),
            u32::from(self.mois()),
            Some(u32::from(self.jour())),
        )
    }
}

/// What the command line says, before resolution.
#[derive(Debug, Clone)]
pub struct Options {
    pub config: PathBuf,
    pub rapports: PathBuf,
    pub remplacer: bool,
    pub date_rectificative: Option<String>,
    pub interne: bool,
    /// `--attendre`: wait for another run holding the reports folder.
    pub attendre: bool,
    /// `--departements`: `all`, or codes separated by commas.
    pub departements: Option<String>,
    /// `--periode`: the quarter instead of `conseil.toml`'s or the one
    /// found.
    pub periode: Option<String>,
}

/// Which départements a run writes annexes for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The one of `conseil.toml`.
    Configure,
    /// Every département found in the job-seeker exports for the period.
    Tous,
    /// These, in COG order.
    Liste(Vec<String>),
}

impl Selection {
    /// Reads `--departements`: `all` (or `tous`), or COG codes separated by
    /// commas.
    pub fn lire(texte: Option<&str>) -> Resultat<Selection> {
        let Some(texte) = texte else {
            return Ok(Selection::Configure);
        };
        let texte = texte.trim();
        if texte.eq_ignore_ascii_case("all") || texte.eq_ignore_ascii_case("tous") {
            return Ok(Selection::Tous);
        }
        let mut codes = Vec::new();
        for brut in texte.split(',') {
            let code = brut.trim().to_uppercase();
            let code = if code.len() == 1 && code.chars().all(|c| c.is_ascii_digit()) {
                format!("0{code}")
            } else {
                code
            };
            if departements::chercher(&code).is_none() {
                return Err(Erreur::Usage(format!(
                    "département inconnu « {} » dans --departements ; attendu « all » ou des codes du COG séparés par des virgules, par exemple 92,93,2A,971",
                    brut.trim()
                )));
            }
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        codes.sort_by_key(|c| departements::COG.iter().position(|d| d.code == c));
        Ok(Selection::Liste(codes))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FichierToml {
    conseil: Option<ConseilToml>,
    documents: Option<DocumentsToml>,
    secret: Option<SecretToml>,
    envoi: Option<ReglagesEnvoi>,
    entrees: Option<EntreesToml>,
    publie: Option<Vec<ChiffrePublie>>,
    calendrier: Option<CalendrierToml>,
    donnees_ouvertes: Option<DonneesOuvertesToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DonneesOuvertesToml {
    attribuant: Option<String>,
    siret_attribuant: Option<String>,
    notification_ue: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendrierToml {
    /// The councils' dates, `AAAA-MM-JJ`.
    conseils: Option<Vec<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConseilToml {
    titre: Option<String>,
    date: Option<toml::Value>,
    departement: Option<String>,
    nom_departement: Option<String>,
    periode: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentsToml {
    entete: Option<String>,
    service: Option<String>,
    adjectif: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretToml {
    seuil: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntreesToml {
    referentiel: Option<Vec<PathBuf>>,
    demandeurs_emploi: Option<Vec<PathBuf>>,
    demandeurs_emploi_detail: Option<Vec<PathBuf>>,
    composition_ept: Option<Vec<PathBuf>>,
    composition_epci: Option<Vec<PathBuf>>,
    dares_communes: Option<Vec<PathBuf>>,
    missions_locales: Option<Vec<PathBuf>>,
    objectifs: Option<Vec<PathBuf>>,
    financements: Option<Vec<PathBuf>>,
    dispositifs: Option<Vec<PathBuf>>,
    calendrier: Option<Vec<PathBuf>>,
    structures: Option<Vec<PathBuf>>,
    enveloppes: Option<Vec<PathBuf>>,
    contacts: Option<Vec<PathBuf>>,
}

/// `[envoi]` of `conseil.toml`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReglagesEnvoi {
    pub expediteur: Option<String>,
    pub smtp_hote: Option<String>,
    pub smtp_port: Option<u16>,
    pub smtp_securite: Option<String>,
    /// Copy of every message (the service's own address, for its records).
    pub copie: Option<String>,
}

/// The grantor of the funding dossiers, as the open-data file names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonneesOuvertes {
    /// `nomAttribuant`: "Préfecture des Hauts-de-Seine".
    pub attribuant: String,
    /// `idAttribuant`: its SIRET, 14 digits.
    pub siret_attribuant: String,
    /// `notificationUE`: whether the aids were notified to the European
    /// Commission (`false` unless said).
    pub notification_ue: bool,
}

/// Default secrecy threshold: counts 1 to 4 are masked.
pub const SEUIL_SECRET_DEFAUT: u32 = 5;

impl Reglages {
    /// Reads `conseil.toml` and joins the command line: everything checked.
    /// The period is `--periode`'s, else `[conseil] periode`, else the one
    /// `trouver` finds (and says).
    pub fn resoudre(options: &Options, trouver: TrouverPeriode) -> Resultat<Reglages> {
        let chemin = &options.config;
        let texte = std::fs::read_to_string(chemin).map_err(Erreur::acces(chemin, "lecture"))?;
        let brut: FichierToml =
            toml::from_str(&texte).map_err(|e| erreur_toml(chemin, &texte, &e))?;
        let lu = conseil(chemin, brut.conseil)?;
        let calendrier = calendrier(chemin, brut.calendrier)?;
        let documents = documents(brut.documents, &lu.departement, &lu.nom_departement);
        let seuil_secret = seuil_secret(chemin, brut.secret)?;
        let donnees_ouvertes = donnees_ouvertes(chemin, brut.donnees_ouvertes)?;
        let dossier_entrees = chemin.parent().map(Path::to_path_buf).unwrap_or_default();
        let dossier_entrees = if dossier_entrees.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dossier_entrees
        };
        let entrees = fichiers_entree(&dossier_entrees, brut.entrees)?;
        let selection = Selection::lire(options.departements.as_deref())?;
        let periode = match (&options.periode, lu.periode) {
            (Some(t), _) => Periode::lire(t).ok_or_else(|| {
                Erreur::Usage(format!(
                    "--periode « {t} » : attendu un trimestre, par exemple 2020T4"
                ))
            })?,
            (None, Some(p)) => p,
            (None, None) => trouver(&Recherche {
                departements: match &selection {
                    Selection::Configure => vec![lu.departement.clone()],
                    Selection::Tous => Vec::new(),
                    Selection::Liste(codes) => codes.clone(),
                },
                entrees: &entrees,
                dossier_rapports: &options.rapports,
                interne: options.interne,
            })?,
        };
        let date_rectificative = match &options.date_rectificative {
            Some(t) => Some(Date::lire(t).ok_or_else(|| {
                Erreur::Usage(format!(
                    "--date-rectificative « {t} » : attendu une date AAAA-MM-JJ, par exemple 2026-12-03"
                ))
            })?),
            None => None,
        };
        let date = lu.date.or_else(|| {
            let fin = Date::fin_de_trimestre(periode);
            calendrier.into_iter().filter(|d| *d > fin).min()
        });
        let conseil = Conseil {
            titre: lu.titre,
            date,
            departement: lu.departement,
            nom_departement: lu.nom_departement,
            periode,
        };
        Ok(Reglages {
            fichier_config: chemin.clone(),
            dossier_entrees,
            dossier_rapports: options.rapports.clone(),
            remplacer: options.remplacer,
            date_rectificative,
            interne: options.interne,
            attendre: options.attendre,
            departement_configure: conseil.departement.clone(),
            conseil,
            selection,
            documents,
            seuil_secret,
            publies: brut.publie.unwrap_or_default(),
            envoi: brut.envoi,
            donnees_ouvertes,
            entrees,
        })
    }

    /// Whether these are the settings of the département of `conseil.toml`
    /// (not another of a multi-département run).
    pub fn est_configure(&self) -> bool {
        self.conseil.departement == self.departement_configure
    }

    /// The settings of one département of a multi-département run: the
    /// configured one keeps everything of `conseil.toml`; another takes its
    /// name, title block and service from the COG, without adjective
    /// (neutral wording) nor published figures to compare with.
    pub fn pour_departement(&self, code: &str) -> Reglages {
        if code == self.conseil.departement {
            return self.clone();
        }
        let mut s = self.clone();
        s.conseil.departement = code.to_string();
        if let Some(cog) = departements::chercher(code) {
            s.conseil.nom_departement = cog.nom.to_string();
            s.documents.entete = cog.entete();
            s.documents.service = cog.service();
        }
        s.documents.adjectif = None;
        s.publies.clear();
        // Another prefecture grants its own dossiers.
        s.donnees_ouvertes = None;
        s
    }

    /// The secrecy threshold applied, `None` in internal mode.
    pub fn seuil_applique(&self) -> Option<u32> {
        (!self.interne).then_some(self.seuil_secret)
    }
}

/// `[conseil]` as read: `date` and `periode` may be left out.
struct ConseilLu {
    titre: String,
    date: Option<Date>,
    departement: String,
    nom_departement: String,
    periode: Option<Periode>,
}

/// A date of the settings, `AAAA-MM-JJ` quoted or bare (TOML's own date).
fn date(chemin: &Path, quoi: &str, brute: &toml::Value) -> Resultat<Date> {
    let texte = match brute {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        autre => autre.to_string(),
    };
    Date::lire(&texte).ok_or_else(|| {
        Erreur::configuration(
            Probleme::new(chemin, format!("{quoi} invalide"))
                .attendu("une date AAAA-MM-JJ, par exemple \"2021-04-27\"")
                .trouve(texte.clone()),
        )
    })
}

/// `[conseil]`: `titre`, `departement` and `nom_departement` required,
/// each key checked.
fn conseil(chemin: &Path, c: Option<ConseilToml>) -> Resultat<ConseilLu> {
    let manque = |cle: &str| {
        Erreur::configuration(
            Probleme::new(
                chemin,
                format!("clé obligatoire « {cle} » absente de la section [conseil]"),
            )
            .attendu(format!("une ligne {cle} = …")),
        )
    };
    let c = c.ok_or_else(|| {
        Erreur::configuration(
            Probleme::new(chemin, "section [conseil] absente")
                .attendu("[conseil] avec titre, departement et nom_departement"),
        )
    })?;
    let titre = c.titre.ok_or_else(|| manque("titre"))?;
    let date = match &c.date {
        Some(brute) => Some(date(chemin, "date du conseil", brute)?),
        None => None,
    };
    let departement = c.departement.ok_or_else(|| manque("departement"))?;
    if !code_departement_valide(&departement) {
        return Err(Erreur::configuration(
            Probleme::new(chemin, "code de département invalide")
                .attendu("un code INSEE de département, par exemple \"92\", \"2A\" ou \"971\"")
                .trouve(departement),
        ));
    }
    let nom_departement = c.nom_departement.ok_or_else(|| manque("nom_departement"))?;
    let periode = match c.periode {
        Some(texte) => Some(Periode::lire(&texte).ok_or_else(|| {
            Erreur::configuration(
                Probleme::new(chemin, "période du conseil invalide")
                    .attendu("un trimestre, par exemple \"2020T4\"")
                    .trouve(texte.clone()),
            )
        })?),
        None => None,
    };
    Ok(ConseilLu {
        titre,
        date,
        departement,
        nom_departement,
        periode,
    })
}

/// `[calendrier] conseils`: the councils' dates, each checked.
fn calendrier(chemin: &Path, c: Option<CalendrierToml>) -> Resultat<Vec<Date>> {
    c.and_then(|c| c.conseils)
        .unwrap_or_default()
        .iter()
        .map(|brute| date(chemin, "date de [calendrier] conseils", brute))
        .collect()
}

/// `[documents]`, with the COG's title block and service by default.
fn documents(d: Option<DocumentsToml>, departement: &str, nom_departement: &str) -> Documents {
    let d = d.unwrap_or(DocumentsToml {
        entete: None,
        service: None,
        adjectif: None,
    });
    let cog = departements::chercher(departement);
    Documents {
        entete: d.entete.unwrap_or_else(|| match cog {
            Some(cog) => cog.entete(),
            None => format!("PRÉFECTURE — {}", nom_departement.to_uppercase()),
        }),
        service: d.service.unwrap_or_else(|| match cog {
            Some(cog) => cog.service(),
            None => format!("Préfecture — {nom_departement}"),
        }),
        adjectif: d.adjectif.filter(|a| !a.trim().is_empty()),
    }
}

/// `[secret] seuil`, 5 by default.
fn seuil_secret(chemin: &Path, secret: Option<SecretToml>) -> Resultat<u32> {
    let seuil = secret.and_then(|s| s.seuil).unwrap_or(SEUIL_SECRET_DEFAUT);
    if seuil == 0 {
        return Err(Erreur::configuration(
            Probleme::new(chemin, "seuil du secret statistique invalide")
                .attendu("un entier ≥ 1")
                .trouve("0"),
        ));
    }
    Ok(seuil)
}

/// `[donnees_ouvertes]`, checked: a grantor's name and SIRET.
fn donnees_ouvertes(
    chemin: &Path,
    brut: Option<DonneesOuvertesToml>,
) -> Resultat<Option<DonneesOuvertes>> {
    let Some(brut) = brut else {
        return Ok(None);
    };
    let attribuant = brut.attribuant.unwrap_or_default().trim().to_string();
    if attribuant.is_empty() {
        return Err(Erreur::configuration(
            Probleme::new(chemin, "[donnees_ouvertes] attribuant manquant").attendu(
                "le nom officiel de l'attribuant, par exemple « Préfecture des Hauts-de-Seine »",
            ),
        ));
    }
    let brut_siret = brut.siret_attribuant.unwrap_or_default();
    let siret: String = brut_siret.chars().filter(|c| !c.is_whitespace()).collect();
    if siret.len() != 14 || !siret.chars().all(|c| c.is_ascii_digit()) {
        let p = Probleme::new(chemin, "[donnees_ouvertes] siret_attribuant invalide")
            .attendu("14 chiffres (SIREN et NIC), par exemple 17920001800011");
        return Err(Erreur::configuration(if brut_siret.trim().is_empty() {
            p
        } else {
            p.trouve(brut_siret.trim())
        }));
    }
    Ok(Some(DonneesOuvertes {
        attribuant,
        siret_attribuant: siret,
        notification_ue: brut.notification_ue.unwrap_or(false),
    }))
}

/// The input files: named in `[entrees]`, else found by prefix.
fn fichiers_entree(dossier_entrees: &Path, e: Option<EntreesToml>) -> Resultat<FichiersEntree> {
    let e = e.unwrap_or(EntreesToml {
        referentiel: None,
        demandeurs_emploi: None,
        demandeurs_emploi_detail: None,
        composition_ept: None,
        composition_epci: None,
        dares_communes: None,
        missions_locales: None,
        objectifs: None,
        financements: None,
        dispositifs: None,
        calendrier: None,
        structures: None,
        enveloppes: None,
        contacts: None,
    });
    Ok(FichiersEntree {
        // The QPV list as the ANCT publishes it (`listeqp2024-cog2024.csv`)
        // is a referential too.
        referentiel: fichiers_prefixes(
            dossier_entrees,
            e.referentiel,
            &["referentiel_qpv", "listeqp"],
        )?,
        // INSEE's compositions, as published (`ept_au_01-01-2024.csv`,
        // `EPCI_au_01-01-2024.xlsx`) or renamed.
        compositions: [
            fichiers_prefixes(
                dossier_entrees,
                e.composition_ept,
                &["composition_ept", "ept_au"],
            )?,
            fichiers_prefixes(
                dossier_entrees,
                e.composition_epci,
                &["composition_epci", "epci_au"],
            )?,
        ]
        .concat(),
        // Found `demandeurs_emploi_detail*` files also start with
        // `demandeurs_emploi`: they are the detail's only.
        demandeurs: {
            let nommes = e.demandeurs_emploi.is_some();
            fichiers(dossier_entrees, e.demandeurs_emploi, "demandeurs_emploi")?
                .into_iter()
                .filter(|f| nommes || !est_detail(f))
                .collect()
        },
        // DARES open data, as published.
        dares: fichiers(dossier_entrees, e.dares_communes, "dares_defm_communales")?,
        // Tens of millions of rows, read in a stream: CSV only.
        demandeurs_detail: fichiers(dossier_entrees, e.demandeurs_emploi_detail, PREFIXE_DETAIL)?
            .into_iter()
            .filter(|f| crate::feuilles::separer(f).is_none())
            .collect(),
        missions_locales: fichiers(dossier_entrees, e.missions_locales, "missions_locales")?,
        objectifs: fichiers(dossier_entrees, e.objectifs, "objectifs")?,
        financements: fichiers(dossier_entrees, e.financements, "financements")?,
        dispositifs: fichiers(dossier_entrees, e.dispositifs, "dispositifs")?,
        echeances: fichiers(dossier_entrees, e.calendrier, "calendrier")?,
        structures: fichiers(dossier_entrees, e.structures, "structures")?,
        enveloppes: fichiers(dossier_entrees, e.enveloppes, "enveloppes")?,
        contacts: fichiers(dossier_entrees, e.contacts, "contacts")?,
    })
}

fn code_departement_valide(code: &str) -> bool {
    match code.len() {
        2 => {
            code.chars().all(|c| c.is_ascii_digit()) && code != "00" && code != "20"
                || code == "2A"
                || code == "2B"
        }
        3 => code.starts_with("97") && code.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// Files named in `[entrees]` (relative to the settings folder), or else the
/// `.csv` files of the folder whose name starts with `prefixe`, sorted.
const PREFIXE_DETAIL: &str = "demandeurs_emploi_detail";

fn est_detail(f: &Path) -> bool {
    f.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_lowercase().starts_with(PREFIXE_DETAIL))
}

fn fichiers(dossier: &Path, nommes: Option<Vec<PathBuf>>, prefixe: &str) -> Resultat<Vec<PathBuf>> {
    fichiers_prefixes(dossier, nommes, &[prefixe])
}

/// The files named in `[entrees]` (a workbook's sheet after `#`:
/// `registre.xlsx#Dossiers`), else the `.csv` files and workbooks
/// (`.xlsx`, `.xls`, `.ods`…) of `dossier` whose name starts with one of
/// `prefixes`, sorted.
fn fichiers_prefixes(
    dossier: &Path,
    nommes: Option<Vec<PathBuf>>,
    prefixes: &[&str],
) -> Resultat<Vec<PathBuf>> {
    if let Some(nommes) = nommes {
        return Ok(nommes.into_iter().map(|f| dossier.join(f)).collect());
    }
    let mut trouves = Vec::new();
    for entree in
        std::fs::read_dir(dossier).map_err(Erreur::acces(dossier, "lecture du dossier"))?
    {
        let chemin = entree
            .map_err(Erreur::acces(dossier, "lecture du dossier"))?
            .path();
        let nom = chemin
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_lowercase();
        let lisible = nom.ends_with(".csv") || crate::feuilles::est_un_nom_de_classeur(&nom);
        if prefixes.iter().any(|p| nom.starts_with(p)) && lisible && chemin.is_file() {
            trouves.push(chemin);
        }
    }
    trouves.sort();
    Ok(trouves)
}

fn erreur_toml(chemin: &Path, texte: &str, e: &toml::de::Error) -> Erreur {
    let mut p = Probleme::new(
        chemin,
        format!(
            "fichier de réglages invalide : {}",
            traduire_toml(e.message())
        ),
    );
    if let Some(span) = e.span() {
        let avant = &texte[..span.start.min(texte.len())];
        let ligne = avant.matches('\n').count() + 1;
        let colonne = avant
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
            + 1;
        p = p.ligne(ligne).colonne(colonne);
    }
    Erreur::configuration(p)
}

/// The toml crate speaks English; the usual messages are given in French,
/// the rest passed through.
fn traduire_toml(message: &str) -> String {
    let m = message.trim();
    if let Some(reste) = m.strip_prefix("unknown field ") {
        let cle = reste.split(',').next().unwrap_or(reste).trim_matches('`');
        return format!("clé inconnue « {cle} »");
    }
    if let Some(reste) = m.strip_prefix("invalid type: ") {
        return format!("type de valeur inattendu ({reste})");
    }
    if m.starts_with("missing field") {
        return format!("clé obligatoire absente ({m})");
    }
    format!("syntaxe TOML invalide ({m})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            crate::format::espaces_simples(&Date::lire("2021-04-27").unwrap().en_toutes_lettres()),
            "27 avril 2021"
        );
        assert_eq!(
            crate::format::espaces_simples(&Date::lire("2021-03-01").unwrap().en_toutes_lettres()),
            "1er mars 2021"
        );
        assert!(Date::lire("2021-02-30").is_none());
        assert!(Date::lire("27/04/2021").is_none());
        assert!(Date::lire("2021-4-27").is_none());
        assert!(Date::lire("+2021-04-2").is_none());
        assert_eq!(Date::lire("2024-02-29").unwrap().iso(), "2024-02-29");
        assert!(Date::lire("2023-02-29").is_none());
        // Midnight UTC: 18 744 days after 1970-01-01.
        assert_eq!(
            Date::lire("2021-04-27").unwrap().minuit(),
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(18_744 * 86_400)
        );
    }

    #[test]
    fn codes_departement() {
        for ok in ["01", "92", "2A", "2B", "971", "976"] {
            assert!(code_departement_valide(ok), "{ok}");
        }
        for ko in ["", "9", "920", "20", "2C", "99A"] {
            assert!(!code_departement_valide(ko), "{ko}");
        }
    }
}
