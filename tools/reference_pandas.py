#!/usr/bin/env python3
"""Benchmark reference (docs/performance.md): what a data team would write by
hand with pandas + XlsxWriter + ReportLab to produce, from the same national
inputs, the same files as qpv-annexe with simpler contents: per département a
workbook (summary and QPV sheets) and a one-table PDF, per commune with a QPV
a workbook and a one-table PDF, one CSV of figures. No checks, no secrecy, no
charts.

    python3 tools/reference_pandas.py ENTREES SORTIE [--sans-pdf-communes]

--sans-pdf-communes leaves out the communes' PDFs, as the reference of
26 November 2026 did (for comparing with the figures measured then).

Needs: pip install pandas xlsxwriter reportlab
"""

import sys
from pathlib import Path

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

PUBLICS = ["de_abc", "de_abc_moins_26", "de_abc_50_plus", "de_abc_longue_duree",
           "de_abc_infra_bac", "de_abc_sans_diplome"]
T, T_1 = "2020T4", "2019T4"


def main(entrees: Path, sortie: Path, pdf_communes: bool = True) -> None:
    sortie.mkdir(parents=True, exist_ok=True)
    (sortie / "communes").mkdir(exist_ok=True)
    ref = pd.read_csv(next(entrees.glob("referentiel_qpv*.csv")), sep=";", dtype=str)
    de = pd.read_csv(next(entrees.glob("demandeurs_emploi_national*.csv")), sep=";",
                     dtype={"code": str, "code_commune": str})
    ref["dep"] = ref["code_commune"].where(~ref["code_commune"].str.startswith("97"),
                                           None).str[:2].fillna(ref["code_commune"].str[:3])
    qpv_dep = ref.drop_duplicates("code_qpv").set_index("code_qpv")["dep"]
    entiers = de[de["code_commune"].isna()]
    qpv = entiers[entiers["niveau"] == "qpv"].copy()
    qpv["dep"] = qpv["code"].map(qpv_dep)
    deps = entiers[entiers["niveau"] == "departement"]
    communes = entiers[entiers["niveau"] == "commune"]
    figures = []
    styles = getSampleStyleSheet()
    for dep, lignes_dep in deps.groupby("code"):
        total = lignes_dep.set_index("periode")[PUBLICS]
        en_qpv = qpv[qpv["dep"] == dep].groupby("periode")[PUBLICS].sum()
        synthese = pd.DataFrame({
            "département": total.loc[T],
            "QPV": en_qpv.loc[T],
            "part QPV": en_qpv.loc[T] / total.loc[T],
            "évolution QPV": en_qpv.loc[T] / en_qpv.loc[T_1] - 1,
            "évolution département": total.loc[T] / total.loc[T_1] - 1,
        })
        par_qpv = qpv[(qpv["dep"] == dep) & (qpv["periode"] == T)][["code", "libelle"] + PUBLICS]
        with pd.ExcelWriter(sortie / f"annexe-{dep}-{T}.xlsx", engine="xlsxwriter") as x:
            synthese.to_excel(x, sheet_name="Synthèse")
            par_qpv.to_excel(x, sheet_name="Par QPV", index=False)
        donnees = [["", "département", "QPV", "part QPV", "évolution QPV"]] + [
            [p, f"{r['département']:,.0f}".replace(",", " "), f"{r['QPV']:,.0f}".replace(",", " "),
             f"{100 * r['part QPV']:.1f} %", f"{100 * r['évolution QPV']:+.1f} %"]
            for p, r in synthese.iterrows()]
        table = Table(donnees)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
        SimpleDocTemplate(str(sortie / f"annexe-{dep}-{T}.pdf"), pagesize=A4).build(
            [Paragraph(f"Annexe statistique QPV — {dep} — {T}", styles["Title"]), table])
        for p in PUBLICS:
            figures.append((T, "departement", dep, p, synthese.loc[p, "QPV"]))
        codes = ref[ref["dep"] == dep]["code_commune"].unique()
        for code in codes:
            c = communes[(communes["code"] == code) & (communes["periode"] == T)][PUBLICS]
            q = ref[ref["code_commune"] == code]["code_qpv"]
            lignes = qpv[qpv["code"].isin(q) & (qpv["periode"] == T)][["code", "libelle"] + PUBLICS]
            with pd.ExcelWriter(sortie / "communes" / f"{code}.xlsx", engine="xlsxwriter") as x:
                c.to_excel(x, sheet_name="Commune", index=False)
                lignes.to_excel(x, sheet_name="QPV", index=False)
            if not pdf_communes:
                continue
            donnees = [["", "commune"] + list(lignes["code"])] + [
                [p, f"{v:,.0f}".replace(",", " ")] + [f"{q:,.0f}".replace(",", " ") for q in lignes[p]]
                for p, v in c.iloc[0].items()] if len(c) else [["", "commune"]]
            table = Table(donnees)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
            SimpleDocTemplate(str(sortie / "communes" / f"{code}.pdf"), pagesize=A4).build(
                [Paragraph(f"Annexe statistique QPV — {code} — {T}", styles["Title"]), table])
    pd.DataFrame(figures, columns=["periode", "niveau", "code", "indicateur", "valeur"]).to_csv(
        sortie / "indicateurs.csv", index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), "--sans-pdf-communes" not in sys.argv[3:])
