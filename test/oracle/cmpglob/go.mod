module home-ops/oracle/cmpglob

go 1.22

require github.com/mattn/go-zglob v0.0.6
