"""NKS API simulator."""
