import "@kusto/monaco-kusto/release/esm/kusto.worker";
