"""The ids other programs rely on, copied from ../shared/spec/CONTRACT.md.

Kept on the tests' side, apart from the code they check, so that a drift in the
generator or the truth files shows; one copy serves every corpus test.
"""
AUDIT_SECTIONS = ["1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4", "3.5",
                  "4", "4.1", "4.2", "4.3", "4.4", "4.5", "5", "5.1", "5.2", "5.3",
                  "6", "7", "8", "9"]
SUMMARY_SECTIONS = ["1", "2", "2.1", "2.2", "2.3", "3", "4", "4.1", "4.2", "4.3", "4.4",
                    "5", "5.1", "5.2", "6", "6.1", "6.2", "6.3", "7"]
TEMPLATES = {"audit_report": AUDIT_SECTIONS, "work_summary": SUMMARY_SECTIONS}
NUMERIC_KEYS = {"staff_awareness_rate", "material_metering_rate", "main_material_utilization_rate",
                "energy_metering_rate", "water_metering_rate", "unit_energy_consumption",
                "unit_fresh_water", "cp_investment_ratio", "rd_investment_ratio",
                "wastewater_reuse_rate", "solid_waste_utilization_rate", "facility_operation_rate",
                "waste_gas_compliance_rate", "wastewater_compliance_rate",
                "solid_waste_disposal_rate", "noise_compliance_rate",
                "low_cost_implementation_rate", "high_cost_implementation_rate"}
FLAG_KEYS = {"wastewater_zero_discharge", "solid_waste_zero_discharge", "waste_gas_utilization",
             "iso14001", "noise_compliant"}
COMPARATORS = {"=", ">=", ">", "<=", "<", "~", "range"}
# rubric item ids: 1–22 of 附件3, 23–26 the unnumbered rows of 系列3
ITEM_IDS = {str(i) for i in range(1, 27)}
