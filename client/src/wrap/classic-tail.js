return rtkit;
}));
