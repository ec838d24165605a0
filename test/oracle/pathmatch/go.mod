module home-ops/oracle/pathmatch

go 1.22
