"""The Đồng bộ page: import the provincial portal's Excel files, export cases and the register."""
