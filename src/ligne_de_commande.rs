//! The command line (clap types only), in French, and what it says as the
//! library's [`Options`]: only the binary sees clap.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

use qpv_annexe::envoi::OptionsEnvoi;
use qpv_annexe::journal::Verbosite;
use qpv_annexe::reglages::Options;

const MODELE_AIDE: &str = "\
{before-help}{about-with-newline}
Utilisation : {usage}

{all-args}{after-help}";

/// Annexe statistique des quartiers prioritaires de la politique de la ville (QPV).
///
/// Lit les exports (France Travail, missions locales, registres de
/// financement, référentiel des QPV), calcule les indicateurs et écrit dans
/// reports/<période>/ le classeur, la synthèse PDF, les documents de chaque
/// commune et indicateurs.csv ; « send » les adresse aux communes.
#[derive(Debug, Parser)]
#[command(
    name = "qpv-annexe",
    version,
    help_template = MODELE_AIDE,
    subcommand_help_heading = "Commandes",
    next_help_heading = "Options",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_value_name = "COMMANDE"
)]
pub struct LigneDeCommande {
    #[command(subcommand)]
    pub commande: Commande,

    /// Affiche l'aide
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    aide: Option<bool>,

    /// Affiche la version
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Calcule les indicateurs et écrit le rapport de la période du conseil
    #[command(name = "run", help_template = MODELE_AIDE, next_help_heading = "Options")]
    Produire(ArgsProduire),
    /// Vérifie les exports et les réglages sans rien écrire
    #[command(name = "validate", help_template = MODELE_AIDE, next_help_heading = "Options")]
    Valider(ArgsValider),
    /// Vérifie, comme un attaquant, qu'aucun chiffre masqué ne se déduit du rapport publié
    #[command(name = "audit", help_template = MODELE_AIDE, next_help_heading = "Options")]
    Auditer(ArgsAuditer),
    /// Prépare (et avec --smtp envoie) à chaque commune ses documents
    #[command(name = "send", help_template = MODELE_AIDE, next_help_heading = "Options")]
    Envoyer(ArgsEnvoyer),
}

#[derive(Debug, Clone, Args)]
pub struct ArgsEnvoyer {
    #[command(flatten)]
    pub commun: ArgsCommuns,

    /// Dossier des rapports ; le rapport envoyé est DOSSIER/<période>/
    ///  [défaut : reports]
    #[arg(
        short = 'r',
        long = "reports",
        value_name = "DOSSIER",
        default_value = "reports",
        hide_default_value = true
    )]
    pub rapports: PathBuf,

    /// Envoie les messages par le serveur SMTP de [envoi] (sinon : outbox/ seulement)
    #[arg(long)]
    pub smtp: bool,

    /// Affiche ce qui serait envoyé, sans rien écrire ni envoyer
    #[arg(long = "dry-run")]
    pub simulation: bool,

    /// Attend la fin d'une autre exécution qui utilise le dossier des rapports (sinon : refus)
    #[arg(long)]
    pub attendre: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ArgsAuditer {
    #[command(flatten)]
    pub commun: ArgsCommuns,

    /// Dossier des rapports ; le rapport audité est DOSSIER/<période>/
    ///  [défaut : reports]
    #[arg(
        short = 'r',
        long = "reports",
        value_name = "DOSSIER",
        default_value = "reports",
        hide_default_value = true
    )]
    pub rapports: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ArgsCommuns {
    /// Fichier de réglages du conseil ; les exports sont cherchés dans son dossier [défaut : inputs/conseil.toml]
    #[arg(
        short,
        long,
        value_name = "FICHIER",
        default_value = "inputs/conseil.toml",
        hide_default_value = true
    )]
    pub config: PathBuf,

    /// N'affiche que les erreurs
    #[arg(short = 'q', long = "quiet", conflicts_with = "verbeux")]
    pub silencieux: bool,

    /// Détaille chaque fichier lu
    #[arg(short = 'v', long = "verbose", id = "verbeux")]
    pub verbeux: bool,

    /// Trimestre traité, par exemple 2020T3 [défaut : celui de conseil.toml, sinon le dernier des exports (run, validate) ou le dernier rapport publié (send, audit)]
    #[arg(long = "periode", value_name = "T")]
    pub periode: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ArgsProduire {
    #[command(flatten)]
    pub commun: ArgsCommuns,

    /// Dossier des rapports ; le rapport est écrit dans DOSSIER/<période>/
    ///  [défaut : reports]
    #[arg(
        short = 'r',
        long = "reports",
        value_name = "DOSSIER",
        default_value = "reports",
        hide_default_value = true
    )]
    pub rapports: PathBuf,

    /// Remplace le rapport de la période s'il existe déjà
    #[arg(long = "force")]
    pub remplacer: bool,

    /// Date de la version rectificative que publie --force, AAAA-MM-JJ [défaut : le jour même]
    #[arg(
        long = "date-rectificative",
        value_name = "DATE",
        requires = "remplacer"
    )]
    pub date_rectificative: Option<String>,

    /// Rapport à usage interne, sans secret statistique (non diffusable)
    #[arg(long)]
    pub interne: bool,

    /// Attend la fin d'une autre exécution qui utilise le dossier des rapports (sinon : refus)
    #[arg(long)]
    pub attendre: bool,

    #[command(flatten)]
    pub selection: ArgsSelection,
}

#[derive(Debug, Clone, Args)]
pub struct ArgsValider {
    #[command(flatten)]
    pub commun: ArgsCommuns,

    #[command(flatten)]
    pub selection: ArgsSelection,
}

/// `--departements`, shared by `run` and `validate`.
#[derive(Debug, Clone, Args)]
pub struct ArgsSelection {
    /// Départements à traiter : « all » (tous ceux des exports nationaux) ou une liste, par exemple 92,93,95 [défaut : celui de conseil.toml]
    #[arg(short, long, value_name = "CODES")]
    pub departements: Option<String>,
}

impl ArgsCommuns {
    pub fn verbosite(&self) -> Verbosite {
        match (self.silencieux, self.verbeux) {
            (true, _) => Verbosite::Silencieux,
            (_, true) => Verbosite::Detaille,
            _ => Verbosite::Normal,
        }
    }
}

impl ArgsEnvoyer {
    pub fn options_envoi(&self) -> OptionsEnvoi {
        OptionsEnvoi {
            smtp: self.smtp,
            simulation: self.simulation,
        }
    }
}

impl Commande {
    pub fn options(&self) -> Options {
        match self {
            Commande::Produire(a) => Options {
                config: a.commun.config.clone(),
                rapports: a.rapports.clone(),
                remplacer: a.remplacer,
                date_rectificative: a.date_rectificative.clone(),
                interne: a.interne,
                attendre: a.attendre,
                departements: a.selection.departements.clone(),
                periode: a.commun.periode.clone(),
            },
            Commande::Valider(a) => Options {
                config: a.commun.config.clone(),
                rapports: PathBuf::from("reports"),
                remplacer: false,
                date_rectificative: None,
                interne: false,
                attendre: false,
                departements: a.selection.departements.clone(),
                periode: a.commun.periode.clone(),
            },
            Commande::Auditer(a) => Options {
                config: a.commun.config.clone(),
                rapports: a.rapports.clone(),
                remplacer: false,
                date_rectificative: None,
                interne: false,
                attendre: false,
                departements: None,
                periode: a.commun.periode.clone(),
            },
            Commande::Envoyer(a) => Options {
                config: a.commun.config.clone(),
                rapports: a.rapports.clone(),
                remplacer: false,
                date_rectificative: None,
                interne: false,
                attendre: a.attendre,
                departements: None,
                periode: a.commun.periode.clone(),
            },
        }
    }

    pub fn verbosite(&self) -> Verbosite {
        match self {
            Commande::Produire(a) => a.commun.verbosite(),
            Commande::Valider(a) => a.commun.verbosite(),
            Commande::Auditer(a) => a.commun.verbosite(),
            Commande::Envoyer(a) => a.commun.verbosite(),
        }
    }
}

/// clap's usage errors, said in French: what was wrong, and where to look.
pub fn message_erreur(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let contexte = |k| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let quoi = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {} »",
            contexte(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => {
            format!("option inconnue « {} »", contexte(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidValue => format!(
            "valeur invalide « {} » pour {}",
            contexte(ContextKind::InvalidValue),
            contexte(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingRequiredArgument => format!(
            "argument obligatoire absent : {}",
            contexte(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "commande absente (run, validate, audit ou send)".to_string()
        }
        ErrorKind::ArgumentConflict => format!(
            "options incompatibles : {} et {}",
            contexte(ContextKind::InvalidArg),
            contexte(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals
        | ErrorKind::ValueValidation
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => {
            format!("valeur invalide pour {}", contexte(ContextKind::InvalidArg))
        }
        _ => "ligne de commande invalide".to_string(),
    };
    format!("{quoi} ; voir « qpv-annexe --help »")
}
